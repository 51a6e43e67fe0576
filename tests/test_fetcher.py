"""The confined fetcher: the only files WeasyPrint may read are the lesson's folder and layouts/.

README: “A lesson can only use files of its own folder: a path such as
../../secret or a link to the network is refused, because lessons are shared
between colleagues.” ``ConfinedFetcher`` is stable API; it is tested directly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lessonkit.fetcher import ConfinedFetcher, FetchRefused


@pytest.fixture
def folders(tmp_path: Path) -> dict[str, Path]:
    """``lesson/`` (allowed) and, beside it, ``lesson-evil/``: a folder whose name starts with the lesson's."""
    lesson, evil, layouts = tmp_path / "lesson", tmp_path / "lesson-evil", tmp_path / "layouts"
    for folder, text in ((lesson, "mine"), (evil, "secret"), (layouts, "style")):
        (folder / "assets").mkdir(parents=True)
        (folder / "assets" / "file.txt").write_text(text, encoding="utf-8")
    return {"lesson": lesson, "evil": evil, "layouts": layouts, "top": tmp_path}


def fetched(fetcher: ConfinedFetcher, url: str) -> bytes:
    response = fetcher.fetch(url)
    return response.read()


def test_files_of_the_allowed_folders_are_served(folders):
    """The lesson's own files and the layouts are readable (the positive control of the refusals below)."""
    fetcher = ConfinedFetcher([folders["lesson"], folders["layouts"]])
    assert fetched(fetcher, (folders["lesson"] / "assets" / "file.txt").as_uri()) == b"mine"
    assert fetched(fetcher, (folders["layouts"] / "assets" / "file.txt").as_uri()) == b"style"


def test_a_sibling_folder_whose_name_starts_like_the_lessons_is_refused(folders):
    """README: “A lesson can only use files of its own folder”. ``lesson-evil/`` starts with the text of
    ``lesson``: comparing paths as strings would serve it."""
    fetcher = ConfinedFetcher([folders["lesson"]])
    url = (folders["evil"] / "assets" / "file.txt").as_uri()
    assert str(folders["evil"]).startswith(str(folders["lesson"]))  # the trap is set
    with pytest.raises(FetchRefused) as refused:
        fetcher.fetch(url)
    assert refused.value.url == url and "outside" in refused.value.reason
    assert str(refused.value) == f"refused to read {url}: {refused.value.reason}"  # what a log would show


@pytest.mark.parametrize(
    "where",
    [
        lambda f: (f["lesson"] / "assets" / ".." / ".." / "lesson-evil" / "assets" / "file.txt").as_uri(),
        lambda f: f"file://{f['lesson']}/assets/../../lesson-evil/assets/file.txt",
        lambda f: f"file://{f['lesson']}/%2E%2E/lesson-evil/assets/file.txt",
        lambda f: (f["top"] / "secret.txt").as_uri(),
    ],
    ids=["dot-dot", "dot-dot-raw", "dot-dot-escaped", "parent"],
)
def test_paths_climbing_out_of_the_folder_are_refused(folders, where):
    """README: “a path such as ../../secret … is refused”."""
    (folders["top"] / "secret.txt").write_text("secret", encoding="utf-8")
    with pytest.raises(FetchRefused):
        ConfinedFetcher([folders["lesson"]]).fetch(where(folders))


def test_a_symlink_pointing_out_of_the_folder_is_refused(folders):
    """README: lessons only use files of their own folder — a link inside it that points out does not count."""
    link = folders["lesson"] / "assets" / "link.txt"
    link.symlink_to(folders["evil"] / "assets" / "file.txt")
    with pytest.raises(FetchRefused):
        ConfinedFetcher([folders["lesson"]]).fetch(link.as_uri())


@pytest.mark.parametrize("url", ["https://example.org/x.png", "http://127.0.0.1/", "ftp://example.org/x"])
def test_the_network_is_refused(folders, url):
    """README: “… or a link to the network is refused”."""
    with pytest.raises(FetchRefused) as refused:
        ConfinedFetcher([folders["lesson"]]).fetch(url)
    assert "network" in refused.value.reason


def test_data_uris_are_served(folders):
    """QR codes reach WeasyPrint as data: URIs; they must still be served."""
    assert fetched(ConfinedFetcher([folders["lesson"]]), "data:text/plain,hello") == b"hello"
