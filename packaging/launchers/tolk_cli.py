"""Entry point of the frozen `tolk` console executable."""

import sys

import tolk_runtime

if __name__ == "__main__":
    tolk_runtime.prepare(windowed=False)
    from desktop_app.cli import main

    sys.exit(main())
