"""Allow ``python -m ssg``."""

import sys

from ssg.cli import main

sys.exit(main())
