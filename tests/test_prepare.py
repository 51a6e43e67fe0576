"""The prepare step, seen from its outputs: typography, footnote numbers and question labels are
decided once, so the worksheet, the answer key and the deck agree.

A fixture project of its own (three lessons, in fr, de-CH and en-GB) is built
once with the real command line; the tests read the PDFs (pypdf) and the decks
(python-pptx) back and compare them with what the teacher typed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from pptx import Presentation
from pypdf import PdfReader

from lessonkit import handwriting, i18n
from lessonkit.cli import main
from lessonkit.loader import Sources, load_document
from lessonkit.nodes import Code, Emphasis, Foreign, Link, Note, Text
from lessonkit.prepare import prepare, short_url
from lessonkit.prepared import Author, BulletList, Inlines, Metadata, Options, Paragraph, Presented, TeacherNotes

from .conftest import ROOT, SAMPLE_SVG

N, B = "\u202f", "\u00a0"  # narrow no-break space, no-break space

# (language, what the teacher types, what every output prints)
TYPOGRAPHY = [
    ("fr", "Voir [Information Management: A Proposal]{lang=en} ici.", "Information Management: A Proposal"),
    ("fr", 'Tapez `"x" : y` ici.', '"x" : y'),
    ("fr", 'Le lien <a href="https://x.ch">ici</a> reste.', '<a href="https://x.ch">ici</a>'),
    ("fr", "Une ligne<br/>tapée.", "ligne<br/>tapée"),
    ("fr", "Il dit “On aide l'algorithme” ici.", f"«{N}On aide l’algorithme{N}»"),
    ("fr", 'Le "travail du clic" reste caché.', f"«{N}travail du clic{N}»"),
    ("fr", "Le rôle d'**Internet** et de l'*IA*.", "d’Internet et de l’IA"),
    ("de-CH", 'Er sagt "Hallo" und “Tschüss”.', "«Hallo» und «Tschüss»"),
    ("en-GB", 'She said "hello" and it\'s fine.', "“hello” and it’s fine"),
]
LANGUAGES = {"fr": "typo-fr", "de-CH": "typo-de", "en-GB": "typo-en"}
QUESTIONS = 30  # more than the 26 letters of the alphabet


def lesson_source(lesson_id: str, language: str) -> dict:
    rows = [typed for row_language, typed, _ in TYPOGRAPHY if row_language == language]
    sections = [
        {"id": f"row-{index}", "heading": f"Section {index}", "body": [typed], "slide_points": [typed]}
        for index, typed in enumerate(rows, start=1)
    ]
    sections[0]["body"].append("Une première note.[^first]")
    sections[0]["footnotes"] = [{"id": "first", "text": "La première note."}]
    sections.append(
        {
            "id": "notes",
            "heading": "Notes",
            "body": ["Une deuxième note.[^second]"],
            "footnotes": [{"id": "second", "text": "La seconde note, numéro deux."}],
            "slide_points": ["Des notes"],
        }
    )
    questions = [
        {"id": f"q{number}", "prompt": f"Question numéro {number} ?", "answer": f"Réponse {number}.", "lines": 1}
        for number in range(1, QUESTIONS + 1)
    ]
    questions += [  # the answer key holds the question pages: the rows are there as prompts and answers
        {"id": f"row-{index}", "prompt": typed, "answer": typed, "lines": 2}
        for index, typed in enumerate(rows, start=1)
    ]
    return {
        "id": lesson_id,
        "language": language,
        "title": f"Typographie {language}",
        "level": "Secondaire II",
        "subject": "Test",
        "duration": 45,
        "credits": {"licence": "CC BY-SA 4.0"},
        "sections": sections,
        "activity": {
            "title": "En classe",
            "duration": 45,
            "mode": "unplugged",
            "instructions": ["Répondre."],
            "questions": questions if language == "fr" else questions[:2] + questions[QUESTIONS:],
        },
    }


@pytest.fixture(scope="module")
def sources_root(tmp_path_factory) -> Path:
    """The fixture project's sources only: enough for the tests of the prepared document itself."""
    root = tmp_path_factory.mktemp("prepare-project")
    for language, lesson_id in LANGUAGES.items():
        folder = root / "sources" / "lessons" / lesson_id
        folder.mkdir(parents=True)
        text = yaml.safe_dump(lesson_source(lesson_id, language), allow_unicode=True, sort_keys=False)
        (folder / f"{language}.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def project(sources_root) -> Path:
    """The fixture project, built once with the real command line."""
    assert main(["--root", str(sources_root), "build", "--quiet", "--out", str(sources_root / "out")]) == 0
    return sources_root


def outputs(project: Path, language: str) -> Path:
    return project / "out" / LANGUAGES[language] / language


def pdf_text(path: Path) -> str:
    """The PDF's text with line breaks and runs of ordinary spaces as one space (no-break spaces kept),
    and words hyphenated at the end of a line joined again."""
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"[ \n]+", " ", re.sub("\u2010\n", "", text))


def deck_texts(path: Path) -> tuple[str, str]:
    """What the slides show, and what their speaker notes say."""
    shown, notes = [], []
    for slide in Presentation(str(path)).slides:
        shown += [p.text for shape in slide.shapes if shape.has_text_frame for p in shape.text_frame.paragraphs]
        notes += [p.text for p in slide.notes_slide.notes_text_frame.paragraphs]
    return "\n".join(shown), "\n".join(notes)


def prepared(project: Path, language: str, options: Options | None = None):
    sources = Sources(project / "sources")
    [source] = [s for s in sources.lessons() if s.language == language]
    return prepare(load_document(sources, source), options)


@pytest.mark.built
@pytest.mark.parametrize(("language", "typed", "printed"), TYPOGRAPHY, ids=[typed for _, typed, _ in TYPOGRAPHY])
def test_typography_is_the_same_in_pdf_and_pptx(project, language, typed, printed):
    folder = outputs(project, language)
    shown, notes = deck_texts(folder / "slides.pptx")
    assert printed in pdf_text(folder / "worksheet.pdf"), "worksheet"
    assert printed in pdf_text(folder / "answer-key.pdf"), "answer key"
    assert printed in shown, "slide"
    assert printed in notes, "speaker notes"


@pytest.mark.built
def test_foreign_words_keep_their_own_spacing(project):
    """In a French lesson, English words get no space before their colon."""
    text = pdf_text(outputs(project, "fr") / "worksheet.pdf")
    assert f"Management{B}:" not in text and f"Management{N}:" not in text


@pytest.mark.built
def test_footnotes_have_one_number_in_every_output(project):
    """The second footnote of the lesson is number 2 on the sheet and in the deck's notes.
    (The key holds only the pages with questions, and the lesson's footnotes are not on them.)"""
    folder = outputs(project, "fr")
    assert "2. La seconde note, numéro deux." in pdf_text(folder / "worksheet.pdf")
    assert "1. La première note." in pdf_text(folder / "worksheet.pdf")
    _, notes = deck_texts(folder / "slides.pptx")
    assert "2. La seconde note, numéro deux." in notes.splitlines()
    assert "1. La première note." in notes.splitlines()


@pytest.mark.built
def test_question_labels_never_run_out(project):
    """30 questions: labelled 1 to 30 on the sheet, in the key and on the deck, never a stray character."""
    folder = outputs(project, "fr")
    document = prepared(project, "fr")
    labels = [q.label for q in document.questions()]
    assert labels == [str(n) for n in range(1, len(labels) + 1)] and len(labels) > QUESTIONS
    slides = {s.shapes.title.text_frame.text: s for s in Presentation(str(folder / "slides.pptx")).slides}
    for number in (1, 26, 27, QUESTIONS):
        assert f"Question {number}" in slides
        # the answer appears on the question's own slide, on a click: its last text shape
        texts = [shape.text_frame.text for shape in slides[f"Question {number}"].placeholders if shape.has_text_frame]
        assert texts[-1] == f"Réponse {number}."
        for pdf in ("worksheet.pdf", "answer-key.pdf"):
            assert f"{number}. Question numéro {number}{N}?" in pdf_text(folder / pdf)


def test_questions_are_labelled_once_across_the_activity_and_the_reading():
    """The shipped lesson: its reading's questions go on from the activity's (no second a)…e))."""
    sources = Sources(ROOT / "sources")
    [source] = [s for s in sources.lessons() if (s.id, s.language) == ("digital-labor", "fr")]
    document = prepare(load_document(sources, source))
    labels = [q.label for q in document.questions()]
    own = len(document.activity.questions)
    assert labels == [str(n) for n in range(1, len(labels) + 1)]
    assert document.readings[0].questions[0].label == str(own + 1)


def test_notes_mode_and_paper_travel_with_the_prepared_document(sources_root):
    document = prepared(sources_root, "fr", Options(paper="letter", answers="notes"))
    assert (document.options.paper, document.options.answers) == ("letter", "notes")


@pytest.mark.parametrize("options", [Options(paper="a5"), Options(answers="nowhere")])
def test_unknown_options_are_refused_in_plain_words(sources_root, options):
    from lessonkit.errors import RenderError

    with pytest.raises(RenderError, match="unknown"):
        prepared(sources_root, "fr", options)


def test_labels_numbers_and_separators_follow_the_language(sources_root):
    french, english = prepared(sources_root, "fr"), prepared(sources_root, "en-GB")
    assert (french.labels.separator, english.labels.separator) == (f"{B}: ", ": ")
    assert (french.labels.lead("source"), english.labels.lead("source")) == (f"Source{B}:", "Source:")
    assert french.duration == "45 min" and french.proofing_tag == "fr-CH"
    assert english.proofing_tags == {"en-GB": "en-GB"}


# --------------------------------------------------------------------------- the prepared document itself
# A lesson using every kind of part, with a reading: each field of the prepared document is checked against
# what the teacher typed (no build: these run in a fraction of a second, and make mutation runs them).

RICH_LESSON = """\
id: rich
language: fr
title: Le *travail* du clic
level: Secondaire II
subject: Éducation numérique
duration: 90
credits:
  authors: [Ada Exemple, Bob Exemple]
  source: D'après *un cours*
  licence: CC BY-SA 4.0
sections:
  - id: intro
    heading: Une introduction
    icon: globe
    body:
      - Un paragraphe[^a] avec `du code` et [des mots]{lang=en} ici.
      - Un second paragraphe, qui renvoie à *la note[^a]* encore.
    subsections:
      - heading: Une partie
        body:
          - Le texte de la partie[^b].
    figures:
      - id: numbers
        caption: Des nombres
        alt: Deux barres
        credit: Une *agence*
        chart:
          kind: line
          categories: [Avant, Pendant, Après]
          values: [0, 12.5, 50]
          unit: "%"
          series: Une mesure
          source: Une source
      - id: counts
        caption: Des comptes
        alt: Deux barres
        chart:
          categories: [Avant, Après]
          values: [0, 0]
          unit: millions
          series: Un compte
          source: Une autre source
    boxes:
      - kind: tip
        title: Un conseil
        icon: robot
        body:
          - Le texte du conseil[^c].
        figure:
          id: boxed
          caption: Une image
          alt: Un dessin
          image: assets/picture.svg
        slide_points:
          - Un point du conseil
        teacher_notes:
          duration: 5
          text:
            - Une note du conseil.
      - kind: story
        title: Une histoire
        body:
          - Il était une fois.
    footnotes:
      - id: c
        text: La note C.
      - id: b
        text: La note B ?
      - id: a
        text: La note A, avec un [lien](https://example.org).
    slide_points:
      - Un point de diapositive
    teacher_notes:
      duration: 10
      text:
        - Demander pourquoi ici.
  - id: second
    heading: Une seconde section
    body:
      - Rien d'autre.
    slide_points:
      - Rien
    figures:
      - id: drawing
        caption: Un dessin
        alt: Un carré
        image: assets/picture.svg
activity:
  title: En classe
  duration: 45
  mode: plugged
  materials:
    - title: Une vidéo
      url: https://www.example.org/video/?id=7
      provider: France TV
      duration: 12
      description: Une *courte* vidéo.
    - title: Un site
      url: https://example.org/
  instructions:
    - Lire le texte.
  teacher_instructions:
    - Distribuer les feuilles.
  questions:
    - id: first
      prompt: Pourquoi ?
      answer: |
        Parce que : voilà.

        - un point
        - un autre point ?
      points: 2.5
      key_points: [Une raison]
      slide_prompt: Pourquoi donc ?
      teacher_notes:
        text:
          - Attendre la réponse.
    - id: second
      prompt: Comment ?
      answer: Ainsi.
      lines: 3
  slide_points:
    - Un point d'activité
  teacher_notes:
    duration: 20
    text:
      - Circuler.
resources:
  - title: Un livre
    url: https://example.org/a/very/long/path/that/goes/on/and/on/and/on/forever
    description: Un livre utile.
  - title: Un autre
    url: http://example.org/page?q=1
glossary:
  - term: Clic
    definition: Une action.
  - term: Donnée
    definition: Une information.
closing:
  remember:
    - Une idée
  exit_question: Et alors ?
  teacher_notes:
    text:
      - Conclure.
readings: [text]
"""

RICH_READING = """\
id: text
language: fr
title: Un texte
subtitle: Un sous-titre
authors:
  - name: Ada Exemple
    affiliation: Une université
  - name: Bob Exemple
year: 2016
original_language: en
first_presented:
  event: Un colloque
  place: Cerisy
  date: 2016-09-09
summary_credits:
  authors: [Équipe]
  source: Une source
  licence: CC BY 4.0
thesis: Une thèse courte.
slide_points:
  - Une thèse
sections:
  - id: part
    heading: Une partie
    key_points:
      - Un point clé.
    quotes:
      - text: It's "fine"
        author: Ada Exemple
        source: Un livre
      - text: Sans source
        author: Bob Exemple
    figures:
      - id: photo
        caption: Une photo
        alt: Un dessin
        image: assets/figure.svg
    slide_points:
      - Un point de section
key_figures:
  - value: 47 %
    measures: Une part
    source: Une étude
concepts:
  - term: Concept
    definition: Une idée.
questions:
  - id: third
    prompt: Troisième question ?
    answer: Une troisième réponse.
    lines: 2
    points: 1
references:
  - citation: Ada Exemple (2016). Un texte.
    url: https://www.example.org/text
  - citation: Bob Exemple (2017). Un autre.
"""


@pytest.fixture(scope="module")
def rich_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("rich")
    for folder, text, picture in (
        (root / "sources" / "lessons" / "rich", RICH_LESSON, "picture.svg"),
        (root / "sources" / "readings" / "text", RICH_READING, "figure.svg"),
    ):
        (folder / "assets").mkdir(parents=True)
        (folder / "assets" / picture).write_text(SAMPLE_SVG, encoding="utf-8")
        (folder / "fr.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def rich(rich_root):
    """Prepared anew for each test: make mutation credits a test only with what it ran itself."""
    return prepared(rich_root, "fr")


def plains(texts) -> list[str]:
    return [text.plain for text in texts]


def test_the_lesson_s_own_fields_and_metadata(rich, rich_root):
    assert (rich.id, rich.language, rich.options) == ("rich", "fr", Options())
    assert rich.title.plain == "Le travail du clic" and rich.title.nodes[1] == Emphasis((Text("travail"),))
    assert (rich.level, rich.subject, rich.duration) == ("Secondaire II", "Éducation numérique", "90 min")
    assert rich.kicker == "Secondaire II · Éducation numérique · 90 min"
    assert rich.metadata == Metadata(
        title="Le travail du clic",
        author="Ada Exemple, Bob Exemple",
        subject="Secondaire II · Éducation numérique",
        keywords="Éducation numérique, Clic, Donnée",
    )
    assert rich.credits.authors == "Ada Exemple, Bob Exemple" and rich.credits.licence == "CC BY-SA 4.0"
    assert rich.credits.source.plain == "D’après un cours"
    assert plains(e.term for e in rich.glossary) == ["Clic", "Donnée"]
    assert plains(e.definition for e in rich.glossary) == ["Une action.", "Une information."]
    assert rich.folders == (rich_root / "sources" / "lessons" / "rich", rich_root / "sources" / "readings" / "text")
    assert rich.proofing_tags == {"en": "en-GB", "fr": "fr-CH"}  # the English words of a paragraph
    assert rich.closing.remember[0].plain == "Une idée" and rich.closing.exit_question.plain == f"Et alors{N}?"
    assert rich.closing.teacher_notes == TeacherNotes(None, (Inlines((Text("Conclure."),), "Conclure."),))


def test_sections_subsections_figures_and_boxes(rich, rich_root):
    intro, second = rich.sections
    assert (intro.id, intro.heading.plain, intro.icon) == ("intro", "Une introduction", "globe")
    assert (second.id, second.icon, second.teacher_notes, second.footnotes) == ("second", None, None, ())
    assert plains(second.body) == ["Rien d’autre."]
    [drawing] = second.figures  # an image of a section, found in the lesson's folder
    assert (drawing.id, drawing.image) == (
        "drawing",
        rich_root / "sources" / "lessons" / "rich" / "assets" / "picture.svg",
    )
    assert plains(intro.body) == [
        "Un paragraphe avec du code et des mots ici.",
        "Un second paragraphe, qui renvoie à la note encore.",
    ]
    assert [(s.heading.plain, plains(s.body)) for s in intro.subsections] == [
        ("Une partie", ["Le texte de la partie."])
    ]
    assert plains(intro.slide_points) == ["Un point de diapositive"] and plains(second.slide_points) == ["Rien"]
    assert intro.teacher_notes.duration == "10 min" and plains(intro.teacher_notes.text) == ["Demander pourquoi ici."]
    numbers, counts = intro.figures
    assert (numbers.id, numbers.caption.plain, numbers.alt, numbers.credit.plain) == (
        "numbers",
        "Des nombres",
        "Deux barres",
        "Une agence",
    )
    assert (numbers.image, counts.credit) == (None, None)
    tip, story = intro.boxes
    assert (tip.kind, tip.title.plain, tip.icon, plains(tip.body)) == (
        "tip",
        "Un conseil",
        "robot",
        ["Le texte du conseil."],
    )
    assert tip.figure.image == rich_root / "sources" / "lessons" / "rich" / "assets" / "picture.svg"
    assert (tip.figure.id, tip.figure.caption.plain, tip.figure.alt, tip.figure.chart) == (
        "boxed",
        "Une image",
        "Un dessin",
        None,
    )
    assert plains(tip.slide_points) == ["Un point du conseil"]
    assert tip.teacher_notes.duration == "5 min" and plains(tip.teacher_notes.text) == ["Une note du conseil."]
    assert (story.kind, story.icon, story.figure, story.slide_points, story.teacher_notes) == (
        "story",
        None,
        None,
        (),
        None,
    )


def test_charts_get_labels_in_the_locale_and_shares_of_the_largest_value(rich):
    numbers, counts = (figure.chart for figure in rich.sections[0].figures)
    assert (numbers.kind, numbers.categories, numbers.values) == (
        "line",
        ("Avant", "Pendant", "Après"),
        (0.0, 12.5, 50.0),
    )
    assert numbers.value_labels == (f"0{N}%", f"12,5{N}%", f"50{N}%")
    assert numbers.shares == (0.0, 0.25, 1.0)
    assert (numbers.unit, numbers.series, numbers.source.plain) == ("%", "Une mesure", "Une source")
    assert (counts.kind, counts.value_labels, counts.shares) == ("bar", ("0 millions", "0 millions"), (0.0, 0.0))


def test_footnotes_are_numbered_as_a_reader_meets_them_once_each(rich):
    """The footnotes are listed c, b, a but referred to a, b, c: numbered 1, 2, 3 in that order, a note referred
    to twice keeps its number, and every reference becomes a note holding the footnote's own text."""
    intro = rich.sections[0]
    assert [(f.number, f.text.plain) for f in intro.footnotes] == [
        (1, "La note A, avec un lien."),
        (2, f"La note B{N}?"),
        (3, "La note C."),
    ]
    first, second = intro.body
    emphasis = second.nodes[1]  # “*la note[^a]*”: a reference inside emphasis is a note too
    assert isinstance(emphasis, Emphasis) and emphasis.children[0] == Text("la note")
    notes = [node for node in first.nodes + emphasis.children if isinstance(node, Note)]
    assert [note.number for note in notes] == [1, 1]
    assert notes[0].children == (Text("La note A, avec un "), Link("https://example.org", (Text("lien"),)), Text("."))
    assert notes[1].children == notes[0].children
    [note_b] = [n for n in intro.subsections[0].body[0].nodes if isinstance(n, Note)]
    assert (note_b.number, note_b.children) == (2, (Text(f"La note B{N}?"),))  # typeset as the edition's text
    assert [n.number for n in intro.boxes[0].body[0].nodes if isinstance(n, Note)] == [3]


def test_code_stays_as_typed_and_foreign_words_keep_their_language(rich):
    nodes = rich.sections[0].body[0].nodes
    assert Code("du code") in nodes
    assert Foreign("en", (Text("des mots"),)) in nodes


def test_the_activity_its_materials_and_questions(rich):
    activity = rich.activity
    assert (activity.title, activity.duration, activity.mode, activity.mode_label) == (
        "En classe",
        "45 min",
        "plugged",
        "sur ordinateur",
    )
    assert plains(activity.instructions) == ["Lire le texte."]
    assert plains(activity.teacher_instructions) == ["Distribuer les feuilles."]
    assert plains(activity.slide_points) == ["Un point d’activité"]
    assert activity.teacher_notes.duration == "20 min" and plains(activity.teacher_notes.text) == ["Circuler."]
    video, site = activity.materials
    assert (video.title.plain, video.url, video.short_url) == (
        "Une vidéo",
        "https://www.example.org/video/?id=7",
        "example.org/video?id=7",
    )
    assert (video.description.plain, video.provider, video.duration) == ("Une courte vidéo.", "France TV", "12 min")
    assert (site.short_url, site.description, site.provider, site.duration) == ("example.org", None, None, None)
    first, second = activity.questions
    assert (first.id, first.anchor, first.label, first.prompt.plain) == ("first", "first", "1", f"Pourquoi{N}?")
    assert first.answer == (
        Paragraph(Inlines((Text(f"Parce que{B}: voilà."),), f"Parce que{B}: voilà.")),  # typeset like the rest
        BulletList(
            (Inlines((Text("un point"),), "un point"), Inlines((Text(f"un autre point{N}?"),), f"un autre point{N}?"))
        ),
    )
    assert (first.points, first.score, plains(first.key_points)) == ("2,5 pt", 2.5, ["Une raison"])
    assert first.slide_prompt.plain == f"Pourquoi donc{N}?"
    assert first.teacher_notes == TeacherNotes(
        None, (Inlines((Text("Attendre la réponse."),), "Attendre la réponse."),)
    )
    assert first.lines == handwriting.lines_needed(
        "Parce que : voilà.\n\n- un point\n- un autre point ?\n"
    )  # none given
    assert (second.label, second.lines, second.points, second.score, second.key_points) == ("2", 3, None, None, ())
    assert (second.slide_prompt, second.teacher_notes) == (None, None)
    assert rich.total_points == "3,5 pt"  # 2.5 in the activity, 1 in the reading


def test_resources_get_their_short_address(rich):
    book, other = rich.resources
    assert (book.title.plain, book.description.plain) == ("Un livre", "Un livre utile.")
    assert book.short_url == "example.org/a/very/long/path/that/goes/on/and/o…"
    assert (other.url, other.short_url, other.description) == (
        "http://example.org/page?q=1",
        "example.org/page?q=1",
        None,
    )


def test_the_reading_follows_the_lesson(rich, rich_root):
    [reading] = rich.readings
    assert (reading.id, reading.title.plain, reading.subtitle.plain, reading.year) == (
        "text",
        "Un texte",
        "Un sous-titre",
        "2016",
    )
    assert reading.authors == (Author("Ada Exemple", "Une université"), Author("Bob Exemple", None))
    assert reading.quote_language == "en"  # the original's language, not the edition's
    assert reading.first_presented == Presented(
        Inlines((Text("Un colloque"),), "Un colloque"), "Cerisy", "9 septembre 2016"
    )
    assert reading.thesis.plain == "Une thèse courte." and plains(reading.slide_points) == ["Une thèse"]
    [section] = reading.sections
    assert (section.id, section.heading.plain, plains(section.key_points)) == ("part", "Une partie", ["Un point clé."])
    assert [(q.text, q.author, q.source and q.source.plain) for q in section.quotes] == [
        (f"«{N}It’s “fine”{N}»", "Ada Exemple", "Un livre"),  # a quotation inside a quotation: “…”
        (f"«{N}Sans source{N}»", "Bob Exemple", None),
    ]
    [figure] = section.figures
    assert figure.image == rich_root / "sources" / "readings" / "text" / "assets" / "figure.svg"  # the reading's folder
    assert plains(section.slide_points) == ["Un point de section"]
    assert [(k.value, k.measures.plain, k.source.plain) for k in reading.key_figures] == [
        (f"47{N}%", "Une part", "Une étude")
    ]
    assert [(c.term.plain, c.definition.plain) for c in reading.concepts] == [("Concept", "Une idée.")]
    [question] = reading.questions
    assert (question.id, question.anchor, question.label, question.points) == ("third", "text-third", "3", "1 pt")
    assert [(r.citation.plain, r.url, r.short_url) for r in reading.references] == [
        ("Ada Exemple (2016). Un texte.", "https://www.example.org/text", "example.org/text"),
        ("Bob Exemple (2017). Un autre.", None, None),
    ]
    credits = reading.summary_credits
    assert (credits.authors, credits.source.plain, credits.licence) == ("Équipe", "Une source", "CC BY 4.0")


def test_a_reading_without_the_optional_parts(rich_root, tmp_path):
    """No subtitle, no original language (the quotes are the edition's), no place or date of presentation."""
    root = tmp_path / "plain"
    shutil.copytree(rich_root / "sources", root / "sources")
    reading = root / "sources" / "readings" / "text" / "fr.yaml"
    text = RICH_READING.replace("subtitle: Un sous-titre\n", "").replace("original_language: en\n", "")
    reading.write_text(text.replace("  place: Cerisy\n  date: 2016-09-09\n", ""), encoding="utf-8")
    [prepared_reading] = prepared(root, "fr").readings
    assert (prepared_reading.subtitle, prepared_reading.quote_language) == (None, "fr")
    assert (prepared_reading.first_presented.place, prepared_reading.first_presented.date) == (None, None)
    reading.write_text(
        text.replace("first_presented:\n  event: Un colloque\n  place: Cerisy\n  date: 2016-09-09\n", "")
    )
    assert prepared(root, "fr").readings[0].first_presented is None


def test_labels_come_from_the_catalog_typeset(rich):
    labels = rich.labels
    assert labels["glossary"] == "Glossaire" and labels.lead("source") == f"Source{B}:"
    assert labels["minutes"] == "{n} min" and labels.separator == f"{B}: "
    assert set(labels.words) == set(labels.leads) == set(i18n.labels_for("fr").keys())


@pytest.mark.parametrize(
    ("url", "short"),
    [
        ("https://www.example.org/", "example.org"),
        ("https://example.org/a/b/?x=1&y=2", "example.org/a/b?x=1&y=2"),
        ("http://wwwexample.org", "wwwexample.org"),
        ("https://example.org/" + "a" * 36, "example.org/" + "a" * 36),  # 48 characters: kept whole
        ("https://example.org/" + "a" * 37, "example.org/" + "a" * 35 + "…"),
        ("https://example.org/" + "a" * 34 + "/-b", "example.org/" + "a" * 34 + "…"),  # no dangling “/-”
        ("https://example.org/" + "a" * 33 + "?=&bcd", "example.org/" + "a" * 33 + "…"),
        ("https://example.org/TeX/", "example.org/TeX"),  # only slashes go, not the letters around them
        ("https://example.org/" + "a" * 34 + "Xbbbb", "example.org/" + "a" * 34 + "X…"),
    ],
)
def test_short_addresses_drop_the_scheme_and_www_and_stop_at_48_characters(url, short):
    assert short_url(url) == short


def test_metadata_is_clipped_to_what_a_pptx_property_holds(rich_root, tmp_path):
    """Keywords longer than 255 characters end with “…” at 255, without a space before it."""
    root = tmp_path / "clipped"
    shutil.copytree(rich_root / "sources", root / "sources")
    terms = "".join(f"  - term: Terme{n:02} long\n    definition: Une définition.\n" for n in range(30))
    lesson = root / "sources" / "lessons" / "rich" / "fr.yaml"
    for padding, cut_after_a_space in ((0, False), (5, True)):  # “…Terme17 |” with padding 5
        subject = "S" + "s" * padding
        text = RICH_LESSON.replace("glossary:\n", "glossary:\n" + terms)
        lesson.write_text(text.replace("subject: Éducation numérique", f"subject: {subject}"), encoding="utf-8")
        full = ", ".join([subject, *(f"Terme{n:02} long" for n in range(30)), "Clic", "Donnée"])
        keywords = prepared(root, "fr").metadata.keywords
        assert (full[253] == " ") is cut_after_a_space
        assert keywords == full[:254].rstrip() + "…" and len(keywords) == (254 if cut_after_a_space else 255)
    lesson.write_text(RICH_LESSON.replace("subject: Éducation numérique", "subject: x"), encoding="utf-8")
    assert prepared(root, "fr").metadata.keywords == "x, Clic, Donnée"
    fifteen = "".join(f"  - term: Terme{n:02} long\n    definition: Une définition.\n" for n in range(15))
    text = RICH_LESSON.replace("glossary:\n", "glossary:\n" + fifteen)
    lesson.write_text(text.replace("subject: Éducation numérique", f"subject: {'s' * 31}"), encoding="utf-8")
    keywords = prepared(root, "fr").metadata.keywords
    assert len(keywords) == 255 and not keywords.endswith("…")  # exactly at the limit: kept whole


def test_an_edition_without_points_activity_or_closing(rich_root, tmp_path):
    root = tmp_path / "bare"
    shutil.copytree(rich_root / "sources", root / "sources")
    lesson = root / "sources" / "lessons" / "rich" / "fr.yaml"
    text = RICH_LESSON[: RICH_LESSON.index("activity:")] + "readings: []\n"
    lesson.write_text(text.replace("credits:\n  authors: [Ada Exemple, Bob Exemple]\n", "credits:\n"), encoding="utf-8")
    bare = prepared(root, "fr")
    assert (bare.activity, bare.closing, bare.total_points, bare.readings, bare.resources) == (None, None, None, (), ())
    assert bare.credits.authors == "" and bare.metadata.author == ""
    assert bare.folders == (root / "sources" / "lessons" / "rich",)


@pytest.mark.parametrize(("language", "typed", "printed"), TYPOGRAPHY, ids=[typed for _, typed, _ in TYPOGRAPHY])
def test_typography_is_decided_once_in_the_prepared_document(sources_root, language, typed, printed):
    """What test_typography_is_the_same_in_pdf_and_pptx finds in every output, decided here: the body and the
    slide point of a row hold the same typeset text."""
    document = prepared(sources_root, language)
    [section] = [s for s in document.sections if RAW.get((s.id, language)) == typed]
    assert printed in section.body[0].plain and printed in section.slide_points[0].plain


RAW = {
    (f"row-{index}", language): typed
    for language in LANGUAGES
    for index, typed in enumerate([t for row_language, t, _ in TYPOGRAPHY if row_language == language], start=1)
}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (Options(paper="a5"), "unknown paper size “a5” (use a4 or letter)"),
        (Options(answers="nowhere"), "unknown answers mode “nowhere” (use slides or notes)"),
    ],
)
def test_unknown_options_are_named_with_the_ones_there_are(sources_root, options, message):
    from lessonkit.errors import RenderError

    with pytest.raises(RenderError) as error:
        prepared(sources_root, "fr", options)
    assert str(error.value) == message


def unchecked_document(root: Path, text: str, readings=(), reading_folders=()):
    """A lesson validated by the model but not checked against its files (what ``check`` adds): prepare still
    refuses what it cannot use."""
    from lessonkit.model import Document, Lesson

    lesson = Lesson.model_validate(yaml.safe_load(text))
    return Document(lesson, readings, root / "sources" / "lessons" / "rich", reading_folders)


def test_prepare_refuses_an_image_outside_its_folder_or_missing(rich_root):
    from lessonkit.errors import RenderError

    folder = rich_root / "sources" / "lessons" / "rich"
    for image, message in (
        (
            "../../readings/text/assets/figure.svg",
            f"the image “{{}}” lies outside {folder} (no “..”, no absolute path, no link out)",
        ),
        ("assets/none.svg", f"the image “{{}}” is not a file in {folder}"),
    ):
        document = unchecked_document(
            rich_root, RICH_LESSON.replace("assets/picture.svg", image).replace("readings: [text]", "readings: []")
        )
        with pytest.raises(RenderError) as error:
            prepare(document)
        assert str(error.value) == message.format(image)


def test_prepare_refuses_a_reference_to_a_footnote_the_lesson_lacks(rich_root):
    from lessonkit.errors import RenderError

    text = RICH_LESSON.replace("Le texte du conseil[^c].", "Le texte du conseil[^nope].").replace(
        "readings: [text]", "readings: []"
    )
    with pytest.raises(RenderError) as error:
        prepare(unchecked_document(rich_root, text))
    assert str(error.value) == "the text refers to footnote [^nope], but the lesson defines no such footnote"


def test_prepare_needs_the_folder_of_every_reading(rich_root):
    from lessonkit.errors import RenderError
    from lessonkit.loader import load_reading

    reading = load_reading(rich_root / "sources" / "readings" / "text" / "fr.yaml")
    with pytest.raises(RenderError) as error:
        prepare(unchecked_document(rich_root, RICH_LESSON, readings=(reading,)))
    assert str(error.value) == "the document does not say where its readings' folders are"


def test_a_closing_without_an_exit_question_or_notes(rich_root, tmp_path):
    root = tmp_path / "closing"
    shutil.copytree(rich_root / "sources", root / "sources")
    lesson = root / "sources" / "lessons" / "rich" / "fr.yaml"
    closing = RICH_LESSON[RICH_LESSON.index("closing:") : RICH_LESSON.index("readings:")]
    assert "exit_question" in closing and "teacher_notes" in closing
    lesson.write_text(RICH_LESSON.replace(closing, "closing:\n  remember:\n    - Une idée\n"), encoding="utf-8")
    document = prepared(root, "fr")
    assert (plains(document.closing.remember), document.closing.exit_question) == (["Une idée"], None)
    assert document.closing.teacher_notes is None


def test_chart_shares_and_percentages_in_another_language(rich_root, tmp_path):
    """Values below 1 are shares of the largest too; an English percentage has no space before “%”."""
    root = tmp_path / "english"
    folder = root / "sources" / "lessons" / "rich"
    shutil.copytree(rich_root / "sources" / "lessons" / "rich", folder)
    (folder / "fr.yaml").unlink()
    text = RICH_LESSON.replace("language: fr", "language: en-GB").replace("readings: [text]", "readings: []")
    (folder / "en-GB.yaml").write_text(text.replace("values: [0, 12.5, 50]", "values: [0, 0.2, 0.5]"), encoding="utf-8")
    chart = prepared(root, "en-GB").sections[0].figures[0].chart
    assert chart.shares == (0.0, 0.4, 1.0)
    assert chart.value_labels == ("0%", "0.2%", "0.5%")


def test_labels_are_typeset_in_the_edition_s_language(rich_root, monkeypatch):
    """A catalog written with straight quotes and apostrophes still prints French typography."""
    from lessonkit.i18n import Labels

    real = i18n.labels_for("fr")
    words = {key: real[key] for key in real.keys()}  # noqa: SIM118 (Labels is not iterable)
    words.update(glossary='Le "glossaire" ?', mode_plugged="sur l'ordinateur")
    monkeypatch.setattr(i18n, "labels_for", lambda language: Labels(language, words))
    document = prepared(rich_root, "fr")
    assert document.labels["glossary"] == f"Le «{N}glossaire{N}»{N}?"
    assert document.activity.mode_label == "sur l’ordinateur"
