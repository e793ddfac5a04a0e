"""``python -m tinmoi.cli``: the ``tinmoi`` command."""

import sys

from tinmoi.cli import main

if __name__ == "__main__":
    sys.exit(main())
