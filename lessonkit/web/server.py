"""``lessonkit serve``: run the app with Uvicorn on this computer and print the address to open."""

from __future__ import annotations

import socket
import sys
import webbrowser
from pathlib import Path

import uvicorn

from .app import create_app
from .security import LOOPBACK, allowed_hosts, new_token

DEFAULT_PORT = 8040


class PortTaken(OSError):
    pass


def serve(
    project: Path,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    open_browser: bool = True,
    outputs: Path | None = None,
) -> None:
    """Serve until Ctrl-C. Prints the address with its one-time token, and a warning beyond this computer."""
    listening = _listen(host, port)  # before printing: the printed address answers at once
    token = new_token()
    app = create_app(
        project, token=token, hosts=allowed_hosts(host, port), outputs=outputs, previewer=_previewer(project, outputs)
    )
    address = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else _bracketed(host)}:{port}/?token={token}"
    if host not in LOOPBACK:
        print(
            f"Warning: listening on {host}, so other computers on the network can reach this app. Anyone with "
            "the address below can read and change your lessons; share it with no one.",
            file=sys.stderr,
        )
    print(
        f"lessonkit is running. Open this address in your browser (Ctrl-C here stops it):\n\n    {address}\n",
        flush=True,
    )
    if open_browser:
        webbrowser.open(address)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    server.run(sockets=[listening])


def _previewer(project: Path, outputs: Path | None):
    """The warm preview worker, when lessonkit.preview is available."""
    try:
        from ..preview import Previewer
    except ImportError:  # the preview engine is optional: the app still edits, checks and builds
        return None
    return Previewer(project, (outputs or project / "outputs") / ".preview")


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound and listening, handed to Uvicorn; PortTaken in plain words when that fails."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # restart at once after Ctrl-C
    try:
        listening.bind((host, port))
        listening.listen(128)
    except OverflowError:
        listening.close()
        raise PortTaken(f"there is no port {port}: choose one from 1024 to 65535 with --port") from None
    except OSError as error:
        listening.close()
        raise PortTaken(f"cannot listen on {host}, port {port} ({error.strerror}); choose another --port") from None
    return listening


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host
