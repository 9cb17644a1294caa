"""`python -m desktop_app.gui`: the desktop app, as `tolk gui`."""

import sys

from desktop_app.gui import main

sys.exit(main())
