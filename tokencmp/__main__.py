"""``python -m tokencmp``: see :mod:`tokencmp.cli`."""

import sys

from tokencmp.cli import main

sys.exit(main())
