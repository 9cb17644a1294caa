"""The tiny Marian that ends its outputs, shared with the engine tests."""

from tests.engine.conftest import ending_package

__all__ = ["ending_package"]
