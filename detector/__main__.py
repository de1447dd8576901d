"""python -m detector: the same as the `detector` command."""

from __future__ import annotations

import sys

from detector.cli.run import main

sys.exit(main())
