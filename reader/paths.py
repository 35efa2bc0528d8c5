"""Where things live. Pure functions: nothing here creates a folder.

Each location comes from a command-line flag first, then an environment variable, then
platformdirs. Folders are created by the code that first writes into them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "reader"

ENV_DB = "READER_DB"
ENV_LIBRARY = "READER_LIBRARY"
ENV_CONFIG = "READER_CONFIG"
ENV_DATA_DIR = "READER_DATA_DIR"
ENV_EXPORT_DIR = "READER_EXPORT_DIR"
ENV_CACHE_DIR = "READER_CACHE_DIR"


def data_dir() -> Path:
    override = os.environ.get(ENV_DATA_DIR)
    return Path(override).expanduser() if override else Path(platformdirs.user_data_dir(APP_NAME))


def cache_dir() -> Path:
    override = os.environ.get(ENV_CACHE_DIR)
    if override:
        return Path(override).expanduser()
    if os.environ.get(ENV_DATA_DIR):
        return data_dir() / "cache"
    return Path(platformdirs.user_cache_dir(APP_NAME))


def user_library_dir() -> Path:
    """The user's own library folder, where `reader import` and `reader add` put files."""
    return data_dir() / "library"


def default_config_path() -> Path:
    override = os.environ.get(ENV_CONFIG)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def seeds_dir() -> Path:
    """The bundled articles: inside the installed package, or the repository's seeds/."""
    packaged = Path(__file__).parent / "seeds"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "seeds"


def env_library_dirs() -> list[Path]:
    raw = os.environ.get(ENV_LIBRARY, "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]


def _pick(flag: Path | None, env_name: str, configured: Path | None, default: Path) -> Path:
    """Flag first, then the environment, then the settings file, then platformdirs."""
    if flag is not None:
        return flag.expanduser()
    env = os.environ.get(env_name)
    if env:
        return Path(env).expanduser()
    if configured is not None:
        return configured.expanduser()
    return default


@dataclass(frozen=True)
class Locations:
    """Every path one run of reader uses, resolved once from flags, environment and settings."""

    db: Path
    library_dirs: tuple[Path, ...]
    user_library: Path
    export_dir: Path
    config: Path
    cache: Path

    @classmethod
    def resolve(
        cls,
        db: Path | None = None,
        libraries: list[Path] | None = None,
        export_dir: Path | None = None,
        config: Path | None = None,
        include_seeds: bool = True,
        configured_db: Path | None = None,
        configured_libraries: list[Path] | None = None,
        configured_export_dir: Path | None = None,
    ) -> Locations:
        user_lib = user_library_dir()
        dirs: list[Path] = []
        if include_seeds:
            dirs.append(seeds_dir())
        dirs.append(user_lib)
        dirs.extend(p.expanduser() for p in configured_libraries or [])
        dirs.extend(env_library_dirs())
        dirs.extend(p.expanduser() for p in libraries or [])
        unique: list[Path] = []
        for d in dirs:
            if d not in unique:
                unique.append(d)
        return cls(
            db=_pick(db, ENV_DB, configured_db, data_dir() / "annotations.json"),
            library_dirs=tuple(unique),
            user_library=user_lib,
            export_dir=_pick(
                export_dir, ENV_EXPORT_DIR, configured_export_dir, data_dir() / "exports"
            ),
            config=config.expanduser() if config else default_config_path(),
            cache=cache_dir(),
        )
