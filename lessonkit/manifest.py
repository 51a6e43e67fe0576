"""What built what: the record that lets a build skip every output whose inputs did not change.

``outputs/.lessonkit-manifest.json`` lists, for every output, the files it was
built from (sources, readings, originals, assets, layouts, lessonkit's code)
with a SHA-256 of each, and the options that shape it (paper, answers).
File digests are cached by size and modification time, so a build with
nothing to do hashes almost nothing. Standard library only: that path must
start fast and import no renderer.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from .layouts import layout_files

__all__ = ["MANIFEST_NAME", "Manifest", "code_files", "layout_files"]

MANIFEST_NAME = ".lessonkit-manifest.json"
FORMAT = 1


class Manifest:
    def __init__(self, outputs: Path, project: Path):
        self.path = outputs / MANIFEST_NAME
        self.project = project
        self.entries: dict[str, dict] = {}
        self.files: dict[str, list] = {}  # relative path → [size, mtime_ns, sha256]
        self.changed = False
        self._checked: dict[str, str | None] = {}  # digests already looked at in this run
        with contextlib.suppress(OSError, ValueError, AttributeError, TypeError):
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") == FORMAT:
                self.entries = dict(data.get("outputs", {}))
                self.files = dict(data.get("files", {}))

    # ------------------------------------------------------------------ questions

    def is_current(self, output: Path, options: dict) -> bool:
        entry = self.entries.get(self._relative(output))
        if entry is None or entry.get("options") != options or not output.is_file():
            return False
        return all(self._digest_of(name) == digest for name, digest in entry["inputs"].items())

    def digest(self, path: Path) -> str | None:
        return self._digest_of(self._relative(path))

    def _digest_of(self, name: str) -> str | None:
        """SHA-256 of a file (by its name relative to the project), looked at once per run,
        reusing the cached digest while its size and modification time are unchanged."""
        if name in self._checked:
            return self._checked[name]
        self._checked[name] = digest = self._compute(name)
        return digest

    def _compute(self, name: str) -> str | None:
        path = self.project / name
        try:
            stat = path.stat()
        except OSError:
            return None
        cached = self.files.get(name)
        if cached and cached[0] == stat.st_size and cached[1] == stat.st_mtime_ns:
            return cached[2]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self.files[name] = [stat.st_size, stat.st_mtime_ns, digest]
        return digest

    # ------------------------------------------------------------------ recording

    def record(self, output: Path, inputs: list[Path], options: dict) -> None:
        self.entries[self._relative(output)] = {
            "inputs": {self._relative(path): self.digest(path) for path in sorted(set(inputs))},
            "options": options,
        }
        self.changed = True

    def forget(self, output: Path) -> None:
        self.changed |= self.entries.pop(self._relative(output), None) is not None

    def save(self) -> None:
        """Write atomically: a manifest is never half-written, even if the build is interrupted."""
        if not self.changed:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"format": FORMAT, "outputs": self.entries, "files": self.files}
        temporary = self.path.with_name(self.path.name + ".part")
        temporary.write_text(json.dumps(payload, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.path)

    def _relative(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.project.resolve()))
        except ValueError:
            return str(path.resolve())


def code_files() -> list[Path]:
    """lessonkit's own code: a new version rebuilds everything."""
    return sorted(Path(__file__).resolve().parent.rglob("*.py"))
