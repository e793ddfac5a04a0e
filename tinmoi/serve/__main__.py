"""``python -m tinmoi.serve --root public --port 8080`` serves a folder until Ctrl-C."""

import sys

from tinmoi.serve.server import main

sys.exit(main())
