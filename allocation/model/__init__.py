"""The types every stage shares, and small pure helpers. Imports nothing else from the package, and no I/O."""
