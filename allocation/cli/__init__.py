"""Command line: a thin shell over the library.

Each command calls one library function, turns errors into Norwegian findings and returns the
contract's exit status: 0 done, 1 input errors, 2 usage or configuration error, 3 an internal
error (a short message and a crash report in the findings folder). No traceback reaches the
user unless ``--debug`` is given.

``app`` holds the parser and the dispatch, ``commands`` the commands, ``output`` what they
print, ``common`` the exit statuses and paths they share.
"""

from __future__ import annotations

from .app import build_parser, main, percent_argument
from .common import DEFAULT_CONFIG, DEFAULT_OUTPUT, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, count

__all__ = [
    "DEFAULT_CONFIG",
    "DEFAULT_OUTPUT",
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_USAGE",
    "build_parser",
    "count",
    "main",
    "percent_argument",
]
