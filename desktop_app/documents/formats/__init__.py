"""One module per document format; each defines FormatHandler subclasses."""
