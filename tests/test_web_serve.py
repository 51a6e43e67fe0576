"""``lessonkit serve`` (issue 12, must 1): a real server process, its printed address, its options."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ADDRESS = re.compile(r"http://(?P<host>[^/\s]+)/\?token=(?P<token>[\w-]+)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(root: Path, *arguments: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "lessonkit", "--root", str(root), "serve", "--no-browser", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def printed_address(server: subprocess.Popen, deadline: float = 60) -> re.Match:
    started = time.monotonic()
    while time.monotonic() - started < deadline:
        line = server.stdout.readline()
        if not line and server.poll() is not None:
            pytest.fail(f"the server stopped: {server.stderr.read()}")
        found = ADDRESS.search(line)
        if found:
            return found
    pytest.fail("the server printed no address")


def stop(server: subprocess.Popen) -> str:
    server.terminate()
    try:
        _out, errors = server.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        _out, errors = server.communicate()
    return errors


def get(url: str, cookie: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_serve_prints_a_local_address_with_a_token_that_opens_the_library(project):
    port = free_port()
    server = start(project.root, "--port", str(port))
    try:
        found = printed_address(server)
        assert found["host"] == f"127.0.0.1:{port}"
        status, _ = get(f"http://127.0.0.1:{port}/")
        assert status == 401  # no token, no page
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with opener.open(found.group(0), timeout=20) as response:  # follows the redirect with the cookie
            assert response.status == 200
            assert 'data-lesson="sample"' in response.read().decode()
    finally:
        errors = stop(server)
    assert "Warning" not in errors


def test_serve_listens_on_this_computer_only_by_default(project):
    port = free_port()
    server = start(project.root, "--port", str(port))
    try:
        printed_address(server)
        listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True)
        if listening.returncode != 0:
            pytest.skip("ss (iproute2) is not installed")
        assert f"127.0.0.1:{port}" in listening.stdout
        assert f"0.0.0.0:{port}" not in listening.stdout
    finally:
        stop(server)


def test_listening_beyond_this_computer_warns(project):
    port = free_port()
    server = start(project.root, "--port", str(port), "--host", "0.0.0.0")
    try:
        found = printed_address(server)
        assert found["host"] == f"127.0.0.1:{port}"
    finally:
        errors = stop(server)
    assert "Warning: listening on 0.0.0.0" in errors
    assert "share it with no one" in errors


def test_a_taken_port_is_said_plainly(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "lessonkit",
                "--root",
                str(project.root),
                "serve",
                "--no-browser",
                "--port",
                str(port),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert f"port {port}" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr
