"""``reader config``: where the settings file is, what is in effect, and a commented start."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from reader.config import describe, load_settings, write_default
from reader.safety import visible_line

if TYPE_CHECKING:
    from reader.workspace import Workspace


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "config",
        help="show the settings file and the settings in effect",
        description=(
            "Print the settings file's path, the settings in effect and the folders in use. "
            "--init writes a commented settings file to start from."
        ),
    )
    p.add_argument("--init", action="store_true", help="write a commented default file")
    p.add_argument("--force", action="store_true", help="with --init: overwrite a file")
    p.add_argument("--path", action="store_true", help="print only the file's path")
    p.add_argument("--json", action="store_true", help="settings and folders as JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, ws: Workspace) -> int:
    path = ws.locations.config
    if args.init:
        write_default(path, force=args.force)
        print(f"wrote {visible_line(str(path))}")
        return 0
    if args.path:
        print(visible_line(str(path)))
        return 0
    settings, warnings = load_settings(path)
    loc = ws.locations
    folders = {
        "config": str(path),
        "database": str(loc.db),
        "library_dirs": [str(d) for d in loc.library_dirs],
        "user_library": str(loc.user_library),
        "export_dir": str(loc.export_dir),
        "cache": str(loc.cache),
    }
    if args.json:
        payload = {"settings": describe(settings), "locations": folders, "warnings": warnings}
        json.dump(payload, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    state = "" if path.exists() else "  (not created yet: reader config --init)"
    print(f"settings file: {visible_line(str(path))}{state}")
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print()
    print("in effect:")
    print(f"  theme          {visible_line(settings.theme)}")
    print(f"  entities       {visible_line(ws.entity_backend)}")
    print(f"  database       {visible_line(str(loc.db))}")
    print(f"  export folder  {visible_line(str(loc.export_dir))}")
    print(f"  your library   {visible_line(str(loc.user_library))}")
    print("  library folders:")
    for folder in loc.library_dirs:
        print(f"    {visible_line(str(folder))}")
    if settings.keys:
        print("  keys:")
        for binding, keys in sorted(settings.keys.items()):
            print(f"    {visible_line(binding):<28} {visible_line(keys)}")
    return 0
