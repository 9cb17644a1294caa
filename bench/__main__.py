"""`python -m bench`: run every benchmark once and write the results."""

from bench.run import main

raise SystemExit(main())
