"""What every part of the command line shares: exit statuses, paths, limits on printed lines."""

from __future__ import annotations

from pathlib import Path

MESSAGE_MAX = 4000  # characters of one printed line: a message quoting a huge cell is cut

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "config" / "trondelag.toml"
DEFAULT_OUTPUT = Path("output")

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def count(n: int, one: str, many: str) -> str:
    """«1 advarsel», «2 advarsler»: a number with its noun in the right number."""
    return f"{n} {one if n == 1 else many}"
