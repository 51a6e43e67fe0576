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
import tempfile
from pathlib import Path
from stat import S_ISREG

from .files import read_regular
from .layouts import layout_files

__all__ = ["MANIFEST_NAME", "Manifest", "code_files", "layout_files"]

MANIFEST_NAME = ".lessonkit-manifest.json"
FORMAT = 1
MAX_MANIFEST_BYTES = 64 * 1024 * 1024


class Manifest:
    def __init__(self, outputs: Path, project: Path):
        self.path = outputs / MANIFEST_NAME
        self.project = project
        self.entries: dict[str, dict] = {}
        self.files: dict[str, list] = {}  # relative path → [size, mtime_ns, sha256]
        self.changed = False
        self.warning: str | None = None  # why a damaged manifest was discarded, for the build to say
        self._checked: dict[str, str | None] = {}  # digests already looked at in this run
        self._load()

    def _load(self) -> None:
        """Read the manifest; one that is damaged or of another format is discarded: everything rebuilds."""
        try:
            data = json.loads(read_regular(self.path, MAX_MANIFEST_BYTES).decode("utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError, RecursionError):  # unreadable, not JSON, nested too deep
            data = None
        if isinstance(data, dict) and data.get("format") != FORMAT:
            return  # another version of lessonkit: rebuilt silently
        if not _well_formed(data):
            self.warning = f"{self.path.name} was damaged; it is discarded and every output is rebuilt"
            self.changed = True
            return
        self.entries, self.files = data["outputs"], data["files"]

    # ------------------------------------------------------------------ questions

    def is_current(self, output: Path, options: dict) -> bool:
        entry = self.entries.get(self._relative(output))
        if entry is None or entry.get("options") != options or not output.is_file():
            return False
        return all(self._digest_of(name) == digest for name, digest in entry["inputs"].items())

    def options_of(self, output: Path) -> dict | None:
        """The options ``output`` was last built with (paper, answers…); None if it was never recorded."""
        entry = self.entries.get(self._relative(output))
        return entry["options"] if entry else None

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
        if not S_ISREG(stat.st_mode):  # a FIFO or a device is never read: it would hang the build
            return None
        cached = self.files.get(name)
        if cached and cached[0] == stat.st_size and cached[1] == stat.st_mtime_ns:
            return cached[2]
        try:
            digest = hashlib.sha256(read_regular(path)).hexdigest()
        except OSError:
            return None
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
        # a name of its own: two processes saving at once never write into the same temporary file
        handle, temporary = tempfile.mkstemp(prefix=f"{self.path.name}-", suffix=".part", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(payload, stream, indent=1, sort_keys=True)
            os.replace(temporary, self.path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)

    def _relative(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.project.resolve()))
        except ValueError:
            return str(path.resolve())


def _well_formed(data: object) -> bool:
    """Whether a manifest has the shape ``save`` writes (so no later step meets a wrong type)."""
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("outputs"), dict)
        or not isinstance(data.get("files"), dict)
    ):
        return False
    entries_ok = all(
        isinstance(entry, dict)
        and isinstance(entry.get("options"), dict)
        and isinstance(entry.get("inputs"), dict)
        and all(isinstance(digest, (str, type(None))) for digest in entry["inputs"].values())
        for entry in data["outputs"].values()
    )
    files_ok = all(
        isinstance(cached, list)
        and len(cached) == 3
        and all(isinstance(part, int) and not isinstance(part, bool) for part in cached[:2])
        and isinstance(cached[2], str)
        for cached in data["files"].values()
    )
    return entries_ok and files_ok


def code_files() -> list[Path]:
    """lessonkit's own code: a new version rebuilds everything."""
    return sorted(Path(__file__).resolve().parent.rglob("*.py"))
