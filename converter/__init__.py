"""HuggingFace Seq2Seq checkpoint -> Tolk model package (run as `python -m converter`).

Importing this package is cheap: torch and transformers load only when a conversion runs.
"""

from converter.pipeline import ConversionRequest, convert

__all__ = ["ConversionRequest", "convert"]
