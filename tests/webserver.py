"""``lessonkit serve`` as a real process for the end-to-end tests: started on a free port, stopped after."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ADDRESS = re.compile(r"http://\S+/\?token=[\w-]+")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(root: Path) -> Iterator[tuple[str, str]]:
    """The server on ``root``: (the address it printed, with its token; its base URL). It listens before it
    prints, so the address answers at once."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "lessonkit", "--root", str(root), "serve", "--no-browser", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        yield _printed_address(process), f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _printed_address(process: subprocess.Popen, deadline: float = 60) -> str:
    started = time.monotonic()
    while time.monotonic() - started < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            raise AssertionError("the server stopped before printing its address")
        if found := ADDRESS.search(line):
            return found.group(0)
    raise AssertionError("the server printed no address")
