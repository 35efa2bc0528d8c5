"""reader: a terminal reading room for articles."""

__version__ = "0.1.0"
