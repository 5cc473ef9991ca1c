"""The run folder and its proof: publishing, manifest, verify, compare, scenarios, crash reports."""
