"""Document tests: Hypothesis keeps its caches outside the working tree."""

from __future__ import annotations

import tempfile

from hypothesis import configuration

# Hypothesis caches examples and constants in ./.hypothesis by default; tests never write
# to the working tree.
configuration.set_hypothesis_home_dir(tempfile.mkdtemp(prefix="tolk-hypothesis-"))
