"""Checks across inputs: applications against the scheme's rules and against the frames."""
