"""Reading files that may be hostile: regular files only, never more than a limit.

A source, an image or a recorded input may have been replaced by a FIFO or a
device: reading one would hang the build or never end. Files are opened
without blocking and refused unless they are regular files. Standard library
only: the manifest uses this on the fast path of a build with nothing to do.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotARegularFile(OSError):
    """The path is a FIFO, a device, a socket or a folder: it is never read."""


class TooLarge(OSError):
    """The file is larger than the caller's limit."""


def read_regular(path: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file; ``NotARegularFile``, ``TooLarge`` or another ``OSError`` otherwise."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # opening a FIFO this way never waits
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise NotARegularFile(f"{path.name} is not an ordinary file")
        if max_bytes is not None and status.st_size > max_bytes:
            raise TooLarge(f"{path.name} is larger than {max_bytes} bytes")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    finally:
        os.close(descriptor)


def is_regular(path: Path) -> bool:
    """Whether ``path`` is a regular file (following symlinks), without opening it."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, ValueError):
        return False
