"""The formats registry: every format built by the same engine, selectable with --formats, recorded in the
manifest with the options that shape it; and the Moodle quiz checked against Moodle's documented XML format."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from lessonkit.build import Options
from lessonkit.formats import FORMATS, parse_formats
from lessonkit.manifest import MANIFEST_NAME

from .conftest import ALL_OUTPUTS
from .projects import POINTS, QUESTION_LINES, build, promises_project, squash


@pytest.fixture(scope="module")
def promises(tmp_path_factory):
    root = promises_project(tmp_path_factory.mktemp("formats"))
    assert build(root) == 0
    return root


def test_every_format_lists_its_outputs_once_and_loads_lazily():
    outputs = [name for fmt in FORMATS.values() for name in fmt.outputs]
    assert len(outputs) == len(set(outputs)) == len(ALL_OUTPUTS)
    assert set(FORMATS) == {"pdf", "pptx", "docx", "html", "moodle"}
    assert all(":" in fmt.renderer for fmt in FORMATS.values())


def test_formats_are_parsed_in_the_registrys_order_and_unknown_ones_refused():
    assert parse_formats("pptx, pdf") == ("pdf", "pptx")
    with pytest.raises(ValueError, match="unknown format odt"):
        parse_formats("pdf,odt")
    assert Options(formats=("docx",)).outputs() == ("worksheet.docx", "answer-key.docx")
    assert Options(paper="letter").for_output("worksheet.docx") == {"paper": "letter"}
    assert Options().for_output("quiz.moodle.xml") == {}


def test_formats_option_builds_only_those_and_a_later_build_adds_the_rest(tmp_path, capsys):
    root = promises_project(tmp_path)
    assert build(root, "--formats", "pdf,moodle") == 0
    folder = root / "outputs" / "promises" / "fr"
    assert sorted(p.name for p in folder.iterdir()) == ["answer-key.pdf", "quiz.moodle.xml", "worksheet.pdf"]
    capsys.readouterr()
    assert build(root, "--formats", "moodle") == 0
    assert "Everything is up to date: 1 outputs" in capsys.readouterr().out
    assert build(root) == 0
    out = capsys.readouterr().out
    assert "worksheet.pdf" not in out and "quiz.moodle.xml" not in out and "worksheet.docx" in out
    assert sorted(p.name for p in folder.iterdir()) == list(ALL_OUTPUTS)
    manifest = json.loads((root / "outputs" / MANIFEST_NAME).read_text(encoding="utf-8"))["outputs"]
    assert manifest["outputs/promises/fr/worksheet.docx"]["options"] == {"paper": "a4"}
    assert manifest["outputs/promises/fr/handout.html"]["options"] == {}
    assert build(root, "--paper", "letter") == 0  # the paper reshapes the PDFs and the DOCX only
    rebuilt = {line.split()[0].rsplit("/", 1)[-1] for line in capsys.readouterr().out.splitlines() if "  " in line}
    assert rebuilt == {"worksheet.pdf", "answer-key.pdf", "worksheet.docx", "answer-key.docx"}


def test_an_unknown_format_is_refused_by_the_command_line(tmp_path, capsys):
    root = promises_project(tmp_path)
    with pytest.raises(SystemExit) as stopped:
        build(root, "--formats", "pdf,odt")
    assert stopped.value.code == 2
    assert "unknown format odt" in capsys.readouterr().err


# --------------------------------------------------------------------------- Moodle XML

ESSAY_FIELDS = [  # the elements of an essay question in Moodle's XML format, in the order Moodle writes them
    "name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden", "idnumber", "responseformat",
    "responserequired", "responsefieldlines", "minwordlimit", "maxwordlimit", "attachments", "attachmentsrequired",
    "maxbytes", "filetypeslist", "graderinfo", "responsetemplate",
]  # fmt: skip
HTML_FIELDS = ("questiontext", "generalfeedback", "graderinfo", "responsetemplate")


def quiz(root):
    return (root / "outputs" / "promises" / "fr" / "quiz.moodle.xml").read_bytes()


def test_quiz_starts_with_the_xml_declaration_and_is_well_formed_utf8(promises):
    data = quiz(promises)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    data.decode("utf-8")
    root = etree.fromstring(data)
    assert root.tag == "quiz"


def test_quiz_has_a_category_then_one_essay_per_question_with_moodles_fields(promises):
    root = etree.fromstring(quiz(promises))
    questions = root.findall("question")
    assert questions[0].get("type") == "category"
    assert questions[0].findtext("category/text") == "$course$/top/Leçon fr (fr)"
    essays = questions[1:]
    assert [q.get("type") for q in essays] == ["essay"] * len(QUESTION_LINES)
    for essay in essays:
        assert [child.tag for child in essay] == ESSAY_FIELDS
        for field in HTML_FIELDS:
            assert essay.find(field).get("format") == "html"
            assert essay.find(f"{field}/text") is not None
        assert essay.findtext("responseformat") == "editor"
        assert essay.findtext("name/text").strip()
    names = [squash(essay.findtext("name/text")) for essay in essays]
    assert names == ["1.Premièrequestion?", "2.Deuxièmequestion?", "3.Troisièmequestion?"]
    assert [essay.findtext("defaultgrade") for essay in essays] == [f"{POINTS:g}", "1", "1"]


def test_quiz_html_is_in_cdata_with_the_prompt_and_the_model_answer(promises):
    data = quiz(promises).decode("utf-8")
    assert '<questiontext format="html">\n      <text><![CDATA[<p>Première question' in data
    assert '<graderinfo format="html">\n      <text><![CDATA[<p>Une réponse.</p>]]></text>' in data
    root = etree.fromstring(quiz(promises))
    answers = [essay.findtext("graderinfo/text") for essay in root.findall("question[@type='essay']")]
    assert answers == ["<p>Une réponse.</p>", "<p>Une autre réponse.</p>", "<p>Une troisième réponse.</p>"]


def test_quiz_pictures_go_inline_as_base64_files(tmp_path):
    """Moodle's format for a picture in a text: ``@@PLUGINFILE@@/name`` in the HTML and a base64
    ``<file>`` in the same element."""
    import base64

    from markupsafe import Markup

    from lessonkit.render.moodle import _html, embedded_image

    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\nfake")
    tag, attachment = embedded_image(picture, "Un dessin", 1)
    parent = etree.Element("question")
    _html(parent, "questiontext", Markup("<p>Voir :</p>") + tag, images=(attachment,))
    text = parent.find("questiontext")
    assert '<img src="@@PLUGINFILE@@/figure-1.png" alt="Un dessin">' in text.findtext("text")
    file = text.find("file")
    assert (file.get("name"), file.get("path"), file.get("encoding")) == ("figure-1.png", "/", "base64")
    assert base64.b64decode(file.text) == picture.read_bytes()
