"""``python -m bot``: the same entry point as the ``kfor-bot`` console script (see the Procfile)."""

import sys

from bot.app import main

sys.exit(main())
