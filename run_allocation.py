"""Entry point: ``uv run run_allocation.py`` runs the bundled example."""

import sys

from allocation.cli import main

if __name__ == "__main__":
    sys.exit(main())
