"""The domain works without the TUI: no module of reader outside reader/ui imports Textual.

Each module is imported in a fresh interpreter, so one module importing Textual cannot hide
behind another that was imported first.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import reader

ROOT = Path(reader.__file__).resolve().parent


def domain_modules() -> list[str]:
    """Every module file of reader outside reader/ui (folders without __init__ too)."""
    names: list[str] = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        if parts[1:2] == ("ui",) or "__pycache__" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return sorted(names)


CHECK = """
import importlib, sys
importlib.import_module(sys.argv[1])
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(",".join(loaded))
"""


def test_the_domain_has_modules() -> None:
    modules = domain_modules()
    assert "reader.models" in modules and "reader.workspace" in modules
    assert not any(m.startswith("reader.ui") for m in modules)


@pytest.mark.parametrize("module", domain_modules())
def test_module_imports_without_textual(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK, module],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT.parent,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{module} imports {result.stdout.strip()}"
