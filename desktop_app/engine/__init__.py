"""The translation engine: model packages, tokenization, CTranslate2 decoding, streaming."""
