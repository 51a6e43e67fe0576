"""The manifest (lessonkit/manifest.py): an output is rebuilt exactly when something it was built from changed.

Fast tests of the record itself, with no build: the rebuild matrix (test_rebuild_matrix.py) checks the
same promise end to end. These let `make mutation` check the module without building a lesson per mutant.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from lessonkit.manifest import FORMAT, MANIFEST_NAME, Manifest, _well_formed, code_files

OPTIONS = {"paper": "a4"}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "fr.yaml").write_text("title: A\n", encoding="utf-8")
    (tmp_path / "sources" / "picture.svg").write_text("<svg/>", encoding="utf-8")
    (tmp_path / "outputs").mkdir()
    (tmp_path / "outputs" / "worksheet.pdf").write_bytes(b"%PDF")
    return tmp_path


def recorded(project: Path, options: dict = OPTIONS) -> Manifest:
    manifest = Manifest(project / "outputs", project)
    inputs = [project / "sources" / "fr.yaml", project / "sources" / "picture.svg"]
    manifest.record(project / "outputs" / "worksheet.pdf", inputs, options)
    manifest.save()
    return Manifest(project / "outputs", project)


def test_a_recorded_output_is_current_until_an_input_changes(project):
    manifest = recorded(project)
    output = project / "outputs" / "worksheet.pdf"
    assert manifest.is_current(output, OPTIONS)
    (project / "sources" / "fr.yaml").write_text("title: B\n", encoding="utf-8")
    assert not Manifest(project / "outputs", project).is_current(output, OPTIONS)


def test_other_options_a_missing_output_or_an_unknown_output_are_not_current(project):
    manifest = recorded(project)
    output = project / "outputs" / "worksheet.pdf"
    assert not manifest.is_current(output, {"paper": "letter"})
    assert not manifest.is_current(project / "outputs" / "answer-key.pdf", OPTIONS)
    output.unlink()
    assert not manifest.is_current(output, OPTIONS)


def test_a_removed_input_makes_the_output_stale(project):
    manifest = recorded(project)
    (project / "sources" / "picture.svg").unlink()
    assert not Manifest(project / "outputs", project).is_current(project / "outputs" / "worksheet.pdf", OPTIONS)
    assert manifest.digest(project / "sources" / "nothing.svg") is None


def test_the_record_names_inputs_relative_to_the_project_with_their_sha256(project):
    recorded(project)
    data = json.loads((project / "outputs" / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert data["format"] == FORMAT
    entry = data["outputs"]["outputs/worksheet.pdf"]
    assert entry["options"] == OPTIONS
    assert entry["inputs"] == {
        "sources/fr.yaml": hashlib.sha256(b"title: A\n").hexdigest(),
        "sources/picture.svg": hashlib.sha256(b"<svg/>").hexdigest(),
    }
    size, mtime, digest = data["files"]["sources/fr.yaml"]
    status = (project / "sources" / "fr.yaml").stat()
    assert (size, mtime, digest) == (status.st_size, status.st_mtime_ns, entry["inputs"]["sources/fr.yaml"])


def test_an_input_outside_the_project_is_named_by_its_full_path(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("layouts") / "worksheet.css"
    elsewhere.write_text("p {}", encoding="utf-8")
    manifest = Manifest(project / "outputs", project)
    manifest.record(project / "outputs" / "worksheet.pdf", [elsewhere, elsewhere], OPTIONS)
    assert list(manifest.entries["outputs/worksheet.pdf"]["inputs"]) == [str(elsewhere.resolve())]


def test_a_digest_is_reused_while_size_and_time_are_unchanged_and_read_again_after(project):
    source = project / "sources" / "fr.yaml"
    recorded(project)
    status = source.stat()
    source.write_text("title: Z\n", encoding="utf-8")  # same size; time put back: the cached digest stands
    os.utime(source, ns=(status.st_atime_ns, status.st_mtime_ns))
    stale = Manifest(project / "outputs", project)
    assert stale.digest(source) == hashlib.sha256(b"title: A\n").hexdigest()
    os.utime(source, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000))
    assert Manifest(project / "outputs", project).digest(source) == hashlib.sha256(b"title: Z\n").hexdigest()


def test_a_file_is_looked_at_once_per_run(project):
    manifest = recorded(project)
    source = project / "sources" / "fr.yaml"
    first = manifest.digest(source)
    source.write_text("title: changed during the run\n", encoding="utf-8")
    assert manifest.digest(source) == first


def test_a_pipe_or_a_folder_is_never_read(project):
    fifo = project / "sources" / "pipe.yaml"
    os.mkfifo(fifo)
    manifest = Manifest(project / "outputs", project)
    assert manifest.digest(fifo) is None
    assert manifest.digest(project / "sources") is None


def test_forget_removes_an_entry_and_saving_nothing_writes_nothing(project):
    manifest = recorded(project)
    path = project / "outputs" / MANIFEST_NAME
    before = path.read_bytes()
    manifest.save()  # nothing changed: not written again
    assert path.read_bytes() == before
    manifest.forget(project / "outputs" / "answer-key.pdf")
    assert not manifest.changed
    manifest.forget(project / "outputs" / "worksheet.pdf")
    assert manifest.changed
    manifest.save()
    assert json.loads(path.read_text(encoding="utf-8"))["outputs"] == {}
    assert not list(path.parent.glob("*.part"))


def test_a_manifest_of_another_format_is_discarded_without_a_warning(project):
    (project / "outputs" / MANIFEST_NAME).write_text(json.dumps({"format": FORMAT + 1}), encoding="utf-8")
    manifest = Manifest(project / "outputs", project)
    assert manifest.entries == {} and manifest.warning is None and not manifest.changed


GOOD = {
    "format": FORMAT,
    "outputs": {"a.pdf": {"inputs": {"x": "0" * 64, "y": None}, "options": {}}},
    "files": {"x": [1, 2, "0" * 64]},
}


@pytest.mark.parametrize(
    "data",
    [
        [],
        {**GOOD, "outputs": []},
        {**GOOD, "files": []},
        {"format": FORMAT, "files": {}},
        {"format": FORMAT, "outputs": {}},
        {**GOOD, "outputs": {"a.pdf": "x"}},
        {**GOOD, "outputs": {"a.pdf": {"inputs": {}, "options": []}}},
        {**GOOD, "outputs": {"a.pdf": {"inputs": [], "options": {}}}},
        {**GOOD, "outputs": {"a.pdf": {"options": {}}}},
        {**GOOD, "outputs": {"a.pdf": {"inputs": {"x": 12}, "options": {}}}},
        {**GOOD, "files": {"x": [1, 2]}},
        {**GOOD, "files": {"x": [1, 2, "d", 4]}},
        {**GOOD, "files": {"x": ["1", 2, "d"]}},
        {**GOOD, "files": {"x": [1, 2.5, "d"]}},
        {**GOOD, "files": {"x": [True, 2, "d"]}},
        {**GOOD, "files": {"x": [1, 2, None]}},
        {**GOOD, "files": {"x": "1 2 d"}},
    ],
)
def test_a_damaged_manifest_is_discarded_with_a_warning_and_everything_rebuilds(project, data):
    assert not _well_formed(data)
    (project / "outputs" / MANIFEST_NAME).write_text(json.dumps(data), encoding="utf-8")
    manifest = Manifest(project / "outputs", project)
    assert manifest.entries == {} and manifest.files == {}
    assert manifest.changed and "damaged" in manifest.warning


def test_a_well_formed_manifest_is_kept(project):
    assert _well_formed(GOOD)
    (project / "outputs" / MANIFEST_NAME).write_text(json.dumps(GOOD), encoding="utf-8")
    manifest = Manifest(project / "outputs", project)
    assert manifest.entries == GOOD["outputs"] and manifest.files == GOOD["files"]
    assert not manifest.changed and manifest.warning is None


@pytest.mark.parametrize(
    "content", [b"{not json", b"\xff\xfe", b"[" * 100_000], ids=["not json", "not utf-8", "nested too deep"]
)
def test_an_unreadable_manifest_is_discarded_with_a_warning(project, content):
    (project / "outputs" / MANIFEST_NAME).write_bytes(content)
    manifest = Manifest(project / "outputs", project)
    assert manifest.entries == {} and manifest.changed and manifest.warning


def test_lessonkits_own_code_is_every_python_file_of_the_package_subpackages_included():
    files = code_files()
    package = Path(__file__).resolve().parent.parent / "lessonkit"
    names = {path.relative_to(package.resolve()).as_posix() for path in files}
    assert {"manifest.py", "render/pdf.py", "web/app.py", "web/views/api.py"} <= names
    assert all(path.suffix == ".py" for path in files) and files == sorted(files)


def test_forgetting_an_output_never_recorded_keeps_what_was_recorded_in_this_run(project):
    manifest = Manifest(project / "outputs", project)
    manifest.record(project / "outputs" / "worksheet.pdf", [project / "sources" / "fr.yaml"], OPTIONS)
    manifest.forget(project / "outputs" / "answer-key.pdf")  # a format whose output was never built
    assert manifest.changed
    manifest.save()
    assert Manifest(project / "outputs", project).is_current(project / "outputs" / "worksheet.pdf", OPTIONS)


def test_saving_creates_the_outputs_folder_and_its_parents(tmp_path):
    outputs = tmp_path / "elsewhere" / "build" / "outputs"
    manifest = Manifest(outputs, tmp_path)
    manifest.record(outputs / "worksheet.pdf", [], OPTIONS)
    manifest.save()
    assert json.loads((outputs / MANIFEST_NAME).read_text(encoding="utf-8"))["outputs"] == {
        "elsewhere/build/outputs/worksheet.pdf": {"inputs": {}, "options": OPTIONS}
    }


def test_the_manifest_is_written_beside_itself_then_moved_into_place(project, monkeypatch):
    """Atomic only if the temporary file lies in the same folder (so on the same disk) as the manifest."""
    import lessonkit.manifest as module

    moves = []
    real_replace = os.replace
    monkeypatch.setattr(module.os, "replace", lambda source, target: moves.append((Path(source), Path(target))))
    manifest = Manifest(project / "outputs", project)
    manifest.record(project / "outputs" / "worksheet.pdf", [], OPTIONS)
    monkeypatch.setattr(module.os, "unlink", lambda path: None)  # keep the temporary file to look at it
    manifest.save()
    [(source, target)] = moves
    assert source.parent == target.parent == project / "outputs"
    assert target.name == MANIFEST_NAME and source != target
    assert json.loads(source.read_text(encoding="utf-8"))["outputs"]
    real_replace(source, target)


def test_a_manifest_larger_than_the_limit_is_never_read(project, monkeypatch):
    """A hostile or runaway manifest is discarded without being read into memory."""
    import lessonkit.manifest as module

    (project / "outputs" / MANIFEST_NAME).write_text(json.dumps(GOOD), encoding="utf-8")
    monkeypatch.setattr(module, "MAX_MANIFEST_BYTES", 100)
    manifest = Manifest(project / "outputs", project)
    assert manifest.entries == {} and manifest.changed and "damaged" in manifest.warning


def test_the_manifest_is_the_same_bytes_whatever_order_the_outputs_were_built_in(project):
    """Parallel builds finish in any order; the record they leave must not depend on it."""
    (project / "outputs" / "answer-key.pdf").write_bytes(b"%PDF")
    outputs = [project / "outputs" / "worksheet.pdf", project / "outputs" / "answer-key.pdf"]
    inputs = [project / "sources" / "fr.yaml", project / "sources" / "picture.svg"]
    saved = []
    for order in (outputs, outputs[::-1]):
        (project / "outputs" / MANIFEST_NAME).unlink(missing_ok=True)
        manifest = Manifest(project / "outputs", project)
        for output in order:
            manifest.record(output, inputs[::-1] if output.name == "answer-key.pdf" else inputs, OPTIONS)
        manifest.save()
        saved.append((project / "outputs" / MANIFEST_NAME).read_bytes())
    assert saved[0] == saved[1]


def test_the_options_an_output_was_built_with_are_remembered(project):
    manifest = recorded(project, {"paper": "letter"})
    assert manifest.options_of(project / "outputs" / "worksheet.pdf") == {"paper": "letter"}
    assert manifest.options_of(project / "outputs" / "answer-key.pdf") is None
