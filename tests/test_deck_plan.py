"""The deck's rules, on fixture projects of their own (never on the shipped lesson).

Slide points continue on a second slide only when they do not fit, prose never does; a box gets a
slide when it has slide points or a figure; a question's key points (or its short answer, or a
pointer to the notes) appear on a click, or nowhere with ``--answers notes``; notes are the teacher
notes, then the full text once; figures keep their labels; code is set in a monospace face.
"""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import pytest
import yaml
from pptx import Presentation
from pptx.oxml.ns import qn

from lessonkit.i18n import labels_for
from lessonkit.loader import Sources, load_document
from lessonkit.prepare import prepare
from lessonkit.prepared import Options
from lessonkit.render import deckplan, textfit
from lessonkit.render.pptx import DeckRenderer

LABELS = labels_for("fr")
POINT = "un point de diapositive qui compte tout juste douze mots en tout"  # 12 words
LONG_ANSWER = " ".join(["Une réponse longue, développée sur plusieurs lignes pour la classe."] * 6)
LABELLED_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100">'
    '<rect width="300" height="100" fill="white"/>'
    '<text x="10" y="70" font-family="Helvetica, sans-serif" font-size="60">Légende</text></svg>'
)


def question(qid: str, prompt: str, answer: str, **extra) -> dict:
    return {"id": qid, "prompt": prompt, "answer": answer, "lines": 3, **extra}


def lesson_source(closing: bool = True) -> dict:
    chart = {
        "categories": ["Avant", "Après"],
        "values": [1.5, 3],
        "unit": "%",
        "series": "Une part",
        "source": "Une enquête",
    }
    lesson = {
        "id": "rules",
        "language": "fr",
        "title": "Les règles du diaporama",
        "level": "Secondaire II",
        "subject": "Test",
        "duration": 45,
        "credits": {"authors": ["Camille Exemple"], "licence": "CC BY-SA 4.0"},
        "readings": ["essai"],
        "sections": [
            {
                "id": "long",
                "heading": "Beaucoup de points",
                "body": ["Le texte complet de la section longue."],
                "slide_points": [f"{POINT} {n}"[: len(POINT)] for n in range(6)],
                "teacher_notes": {"duration": 5, "text": ["Demander aux élèves ce qu’ils savent."]},
            },
            {
                "id": "short",
                "heading": "Peu de points",
                "body": ["Le texte complet de la section courte."],
                "slide_points": ["Deux mots", "Tapez `print(42)` pour voir"],
                "boxes": [
                    {"kind": "tip", "title": "Une astuce", "body": ["Sans points ni figure."]},
                    {
                        "kind": "case",
                        "title": "Des chiffres",
                        "body": ["Le texte de l’encadré chiffré."],
                        "figure": {"id": "chiffres", "caption": "Deux valeurs", "alt": "Deux barres", "chart": chart},
                        "slide_points": ["La part double", "Une seule enquête"],
                    },
                    {
                        "kind": "story",
                        "title": "Un schéma",
                        "body": ["Le texte de l’encadré illustré."],
                        "figure": {
                            "id": "schema",
                            "caption": "Un schéma légendé",
                            "alt": "Le mot Légende",
                            "image": "assets/labels.svg",
                        },
                        "slide_points": ["Une légende lisible"],
                    },
                ],
            },
        ],
        "activity": {
            "title": "En classe",
            "duration": 30,
            "mode": "unplugged",
            "instructions": ["Répondre aux questions."],
            "questions": [
                question(
                    "keyed",
                    "Pourquoi ?",
                    LONG_ANSWER,
                    key_points=["Un premier point clé", "Un second point clé"],
                    teacher_notes={"duration": 5, "text": ["Attendre les réponses."]},
                ),
                question("short", "Comment ?", "Ainsi, en deux mots."),
                question("long", "Quoi donc ?", LONG_ANSWER),
                question(
                    "wordy",
                    " ".join(["Une question beaucoup trop longue pour une diapositive,"] * 4) + " non ?",
                    "Oui.",
                    slide_prompt="Une question raccourcie ?",
                    key_points=["Oui"],
                ),
            ],
        },
        "resources": [
            {"title": f"Ressource {n}", "url": f"https://example.org/{n}", "description": LONG_ANSWER[:150]}
            for n in range(3)
        ],
    }
    if closing:
        lesson["closing"] = {"remember": ["Une idée", "Une autre idée"], "exit_question": "Et maintenant ?"}
    return lesson


READING = {
    "id": "essai",
    "language": "fr",
    "title": "Un essai",
    "authors": [{"name": "Ada Autrice"}],
    "year": 2020,
    "summary_credits": {"licence": "CC BY-SA 4.0"},
    "thesis": " ".join(["Une thèse développée en une longue phrase sans fin."] * 6),
    "sections": [{"id": "partie", "heading": "Une partie", "key_points": ["Une idée de la partie."]}],
    "concepts": [{"term": "Notion", "definition": "Ce que la notion veut dire."}],
    "questions": [
        question("q1", "Une première question de discussion ?", "Une réponse.", slide_prompt="Première ?"),
        question("q2", "Une deuxième question de discussion ?", "Une autre réponse."),
    ],
}


def write_project(root: Path, closing: bool = True) -> Path:
    folder = root / "sources" / "lessons" / "rules"
    (folder / "assets").mkdir(parents=True)
    (folder / "assets" / "labels.svg").write_text(LABELLED_SVG, encoding="utf-8")
    dump = lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False)  # noqa: E731
    (folder / "fr.yaml").write_text(dump(lesson_source(closing)), encoding="utf-8")
    reading = root / "sources" / "readings" / "essai"
    reading.mkdir(parents=True)
    (reading / "fr.yaml").write_text(dump(READING), encoding="utf-8")
    return root


def prepared(root: Path, options: Options | None = None):
    sources = Sources(root / "sources")
    [source] = sources.lessons()
    return prepare(load_document(sources, source), options)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return write_project(tmp_path_factory.mktemp("deck-rules"))


@pytest.fixture(scope="module")
def planned(project) -> deckplan.Plan:
    return DeckRenderer().plan(prepared(project))


@pytest.fixture(scope="module")
def deck(project, tmp_path_factory):
    renderer = DeckRenderer()
    rendered = renderer.render(prepared(project))
    path = tmp_path_factory.mktemp("deck-rules-out") / "slides.pptx"
    renderer.write(rendered.presentation, path)
    return Presentation(str(path))


def slides_of(plan: deckplan.Plan, kind: str) -> list[deckplan.Slide]:
    return [slide for slide in plan.slides if slide.kind == kind]


def texts(slide: deckplan.Slide) -> list[list[str]]:
    return [[deckplan.plain(para) for para in block.paras] for block in slide.texts]


def title_of(slide) -> str:
    return slide.shapes.title.text_frame.text


# --------------------------------------------------------------------------- the budget


def test_slide_points_continue_only_when_they_do_not_fit(planned):
    sections = slides_of(planned, "section")
    titles = [slide.title_text for slide in sections]
    assert titles == ["Beaucoup de points", f"Beaucoup de points {LABELS['continued']}", "Peu de points"]
    assert all(slide.words() <= deckplan.WORD_BUDGET for slide in planned.slides)
    assert any("2 slides" in warning and "Beaucoup de points" in warning for warning in planned.warnings)


def test_prose_never_continues(planned):
    """A thesis too long for its slide stays in the notes: the slide shows the byline, the teacher is told."""
    [thesis] = slides_of(planned, "thesis")
    assert texts(thesis) == [["Ada Autrice · 2020"]]
    assert READING["thesis"].split()[0] in " ".join(thesis.notes)
    assert any("slide_points" in warning for warning in planned.warnings)
    assert not any(
        LABELS["continued"] in slide.title_text
        for slide in planned.slides
        if slide.kind not in ("section", "resources")
    )


def test_no_text_below_the_minimum_size(planned):
    for slide in planned.slides:
        assert slide.title_size >= deckplan.MIN_TITLE_PT
        for block in slide.texts:
            minimum = deckplan.MIN_QUESTION_PT if slide.kind == "question" and not block.revealed else 24
            assert block.size >= minimum, slide.title_text


def test_a_box_gets_a_slide_only_with_slide_points_or_a_figure(planned):
    titles = [slide.title_text for slide in slides_of(planned, "box")]
    assert titles == ["Des chiffres", "Un schéma"]
    assert "Une astuce" not in " ".join(slide.title_text for slide in planned.slides)


def test_a_box_with_a_chart_shows_its_slide_points_beside_it(planned, deck):
    [box] = [slide for slide in slides_of(planned, "box") if slide.chart]
    assert texts(box) == [["La part double", "Une seule enquête", f"{LABELS['source']}\u00a0: Une enquête"]]
    assert box.chart.chart.value_labels == ("1,5\u202f%", "3\u202f%")  # the locale’s percent, as on the sheet
    [written] = [slide for slide in deck.slides if title_of(slide) == "Des chiffres"]
    assert any(shape.has_chart for shape in written.shapes)
    assert "La part double" in " ".join(s.text_frame.text for s in written.shapes if s.has_text_frame)


# --------------------------------------------------------------------------- questions


def revealed(slide: deckplan.Slide) -> list[str]:
    return [deckplan.plain(p) for block in slide.texts if block.revealed for p in block.paras]


def asked(slide: deckplan.Slide) -> list[str]:
    return [deckplan.plain(p) for block in slide.texts if not block.revealed for p in block.paras]


def test_key_points_are_revealed_else_a_short_answer_else_a_pointer_to_the_notes(planned):
    keyed, short, long, wordy = slides_of(planned, "question")
    assert revealed(keyed) == ["Un premier point clé", "Un second point clé"]
    assert revealed(short) == ["Ainsi, en deux mots."]
    assert revealed(long) == [LABELS["answer_in_notes"]]
    assert asked(wordy) == ["Une question raccourcie\u202f?"]  # the whole question is too long for its slide
    for slide in (keyed, short, long, wordy):
        assert LABELS["answer"] + "\u00a0:" in slide.notes  # the full answer is in the notes, always


def test_every_question_slide_reveals_on_a_click(deck):
    questions = [slide for slide in deck.slides if title_of(slide).startswith("Question ")]
    assert len(questions) == 4
    for slide in questions:
        timing = slide._element.find(qn("p:timing"))
        assert timing is not None
        [target] = [int(t.get("spid")) for t in timing.iter(qn("p:spTgt"))]
        shapes = [s for s in slide.placeholders if s.has_text_frame and s != slide.shapes.title]
        assert shapes[-1].shape_id == target and shapes[0].shape_id != target


def test_answers_in_the_notes_only(project):
    plan = DeckRenderer().plan(prepared(project, Options(answers="notes")))
    rendered = DeckRenderer().render(prepared(project, Options(answers="notes"))).presentation
    keyed = slides_of(plan, "question")[0]
    assert revealed(keyed) == [] and asked(keyed) == ["Pourquoi\u202f?"]
    assert "• Un premier point clé" in keyed.notes and LABELS["answer"] + "\u00a0:" in keyed.notes
    assert not any(slide._element.find(qn("p:timing")) is not None for slide in rendered.slides)


# --------------------------------------------------------------------------- notes


def test_notes_are_the_teacher_notes_then_the_full_text_once(planned):
    first, continued, _ = slides_of(planned, "section")
    assert first.notes[:3] == (
        "Durée\u00a0: 5 min",
        "Demander aux élèves ce qu’ils savent.",
        "Le texte complet de la section longue.",
    )
    assert "Le texte complet de la section longue." not in continued.notes  # once
    keyed = slides_of(planned, "question")[0]
    assert keyed.notes[:2] == ("Durée\u00a0: 5 min", "Attendre les réponses.")
    notes = [slide.notes for slide in planned.slides]
    assert all(notes) and all(a != b for a, b in itertools.pairwise(notes))


# --------------------------------------------------------------------------- reading, links, closing


def test_the_discussion_slide_numbers_the_questions_as_the_sheet(planned):
    [discussion] = slides_of(planned, "discussion")
    [block] = discussion.texts
    assert [deckplan.plain(p) for p in block.paras] == ["Première\u202f?", "Une deuxième question de discussion\u202f?"]
    assert {(p.marker, p.number) for p in block.paras} == {("number", 5)}  # after the activity's four
    assert "5. Une première question de discussion\u202f?" in discussion.notes


def test_link_descriptions_leave_the_slide_before_it_exceeds_its_budget(planned):
    resources = slides_of(planned, "resources")
    assert len(resources) == 2
    for slide in resources:
        assert slide.words() <= deckplan.WORD_BUDGET
        assert all(any("Une réponse longue" in line for line in slide.notes) for slide in resources)


def test_the_closing_slide_or_the_credits(planned, tmp_path):
    [closing] = slides_of(planned, "closing")
    assert closing.title_text == LABELS["remember"]
    assert texts(closing) == [["Une idée", "Une autre idée", f"{LABELS['exit_question']}\u00a0: Et maintenant\u202f?"]]
    without = DeckRenderer().plan(prepared(write_project(tmp_path, closing=False)))
    assert without.slides[-1].kind == "credits" and without.slides[-1].title_text == LABELS["credits"]


# --------------------------------------------------------------------------- figures and code


def test_an_svgs_labels_are_drawn_on_its_slide(deck):
    from PIL import Image

    [slide] = [slide for slide in deck.slides if title_of(slide) == "Un schéma"]
    [picture] = [shape for shape in slide.shapes if shape.shape_type == 13]
    image = Image.open(io.BytesIO(picture.image.blob)).convert("L")
    dark = sum(image.histogram()[:128])  # the SVG is white but for its label
    assert dark > 0.02 * image.width * image.height


def test_inline_code_is_set_and_measured_in_a_monospace_face(deck):
    [slide] = [slide for slide in deck.slides if title_of(slide) == "Peu de points"]
    runs = [
        run for shape in slide.shapes if shape.has_text_frame for p in shape.text_frame.paragraphs for run in p.runs
    ]
    [code] = [run for run in runs if run.text == "print(42)"]
    latin = code._r.find(qn("a:rPr")).find(qn("a:latin"))
    assert latin.get("typeface") == textfit.CODE_FONT and latin.get("pitchFamily") == "49"
    assert all(run.font.name is None for run in runs if run is not code)
    # measured at least as wide as any face a client may show it in
    faces = [Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")]
    faces += [Path("/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf")]
    from PIL import ImageFont

    for face in (face for face in faces if face.is_file()):
        real = ImageFont.truetype(str(face), size=100).getlength("print(42)") * 24 / 100
        assert textfit.text_width("print(42)", 24, code=True) >= real


def test_the_fixture_sources_are_valid(project):
    """The project above is a valid lesson (so the tests above test the deck, not the loader)."""
    from lessonkit.loader import check_all

    sources = Sources(project / "sources")
    assert [str(p) for p in check_all(sources, sources.lessons() + sources.readings())] == []
