"""Replace a file so that a crash leaves either the old or the new one, never half of each.

Every file reader writes for the user (the database, the library index, settings, backups,
exports) goes through here: a temp file in the same folder, fsync, rename, fsync of the
folder.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path


def write_atomically(
    path: Path, payload: bytes | Iterable[bytes], tag: str = "", default_mode: int = 0o600
) -> None:
    """Replace ``path`` with ``payload``: one ``bytes``, or pieces written as they come.

    Pieces let a large file (the database) be written without ever joining it into one
    ``bytes``, which would hold the interpreter lock for the whole join. The new file keeps
    the old one's permissions (``default_mode`` for a new file). A symlink at ``path`` is
    replaced, not followed. Raises OSError; the temp file is removed on failure. Temp files
    are named ``.{name}.{pid}.{tag}.tmp`` so leftovers can be found.
    """
    pieces = (payload,) if isinstance(payload, bytes | bytearray | memoryview) else payload
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{tag or secrets.token_hex(4)}.tmp")
    try:
        try:
            info = os.lstat(path)
            mode = default_mode if stat.S_ISLNK(info.st_mode) else info.st_mode & 0o777
        except FileNotFoundError:
            mode = default_mode
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
        try:
            os.fchmod(fd, mode)  # the umask may have narrowed it
            for piece in pieces:
                view = memoryview(piece)
                while view:
                    view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable.

    Some file systems refuse fsync on a folder; the rename has happened either way, so
    that is not a failed save.
    """
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
