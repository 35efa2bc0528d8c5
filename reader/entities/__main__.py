"""``python -m reader.entities``: the JSON-lines filter alone, without the library or the CLI."""

from __future__ import annotations

import sys

from reader.cli.entities import tag_lines
from reader.entities import get_finder

if __name__ == "__main__":
    sys.exit(
        tag_lines(
            sys.stdin, sys.stdout, get_finder(sys.argv[1] if len(sys.argv) > 1 else "builtin")
        )
    )
