"""Entry point of the frozen `tolk` console executable."""

import sys

import tolk_runtime

if __name__ == "__main__":
    tolk_runtime.prepare(windowed=False)
    if sys.argv[1:2] != ["gui"]:  # `tolk gui` leaves the first run to the window's welcome
        tolk_runtime.install_demo_model()
    from desktop_app.cli import main

    sys.exit(main())
