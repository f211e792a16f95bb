"""``python -m govopen``: the ``govopen`` command (see ``govopen.cli``)."""

import sys

from .cli import main

sys.exit(main())
