"""``python -m aqparse``: the ``aqparse`` command, for where the console script is not on the
PATH (a user install, a virtual environment not activated)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
