"""``python -m ecslab.cli ...``: the same as the ``ecslab`` command."""

import sys

from ecslab.cli import main

sys.exit(main())
