"""allocation: the yearly split of the Kompetanseløftet grant, exact and traceable."""

import sys

__version__ = "0.1.0"

# A run imports pandas, pandera and numpy: several thousand modules. Without their compiled
# bytecode every run compiles them again (measured 3.7x slower). Where PYTHONDONTWRITEBYTECODE
# is set, Python would never keep it, so the program writes its .pyc on first import anyway
# (silently skipped where the environment is read-only).
sys.dont_write_bytecode = False
