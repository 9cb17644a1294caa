"""Entry point of the frozen windowed executable (the one desktop launchers start)."""

import sys

import tolk_runtime

if __name__ == "__main__":
    tolk_runtime.prepare(windowed=True)
    from desktop_app.gui import main

    sys.exit(main(sys.argv[1:]))
