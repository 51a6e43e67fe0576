"""The shipped French lesson and reading: valid, complete, faithful to the seed texts."""

from __future__ import annotations

import re

import pytest

from lessonkit.loader import Sources, check_all, load_document
from lessonkit.markup import BulletList, Paragraph, parse_blocks, parse_inline, plain_text

from .conftest import ROOT, SHIPPED_FILES

SEED_SHEET = (ROOT / "tests" / "seeds" / "000_0ee4d672a9c47ac1.txt").read_text(encoding="utf-8")

# Each question of the sheet, a) to e): where its prompt and its model answer run in the seed
# (start and end phrases; answer c is cut in two by the link list of the extraction).
SEED_QUESTIONS = [
    ("Pourquoi parle-t-on", "«micro-travail»?", [("Il s’agit d’un travail à la tâche", "très précaire.")]),
    ("L’un des témoins dit", "“améliorés”?", [("Les algorithmes sont souvent", "nombreux exemples.")]),
    (
        "Pourquoi la personne qui travaille",
        "visage caché?",
        [("L’IA est vendue", "De plus,"), ("les conditions de travail de ces", "peu éthiques.")],
    ),
    ("Pourquoi des entreprises basées", "“géographie” de l’IA?", [("Les entreprises technologiques", "emplois.")]),
    ("Pourriez-vous citer", "en rendre compte?", [("Toutes nos activités", "d’entraîner des algorithmes.")]),
]

# Evident typos of the seed corrected in the source: (as in the seed, as in the source).
SEED_CORRECTIONS = [
    ("types emplois", "types d’emplois"),
    ("plus généralemement", "plus généralement"),
    ("il est souvent demandés", "il est souvent demandé"),
]


def normalise(text: str) -> str:
    text = text.replace("•", " ")
    text = re.sub(r"-\n\s*", "-", text)  # line breaks after a real hyphen (“font-elles”)
    return re.sub(r"\s+", " ", text).strip()


def seed_span(start: str, end: str) -> str:
    seed = normalise(SEED_SHEET)
    begin = seed.index(start)
    text = seed[begin : seed.index(end, begin) + len(end)]
    for wrong, right in SEED_CORRECTIONS:
        text = text.replace(wrong, right)
    return text


def answer_text(answer: str) -> str:
    parts = []
    for block in parse_blocks(answer):
        if isinstance(block, Paragraph):
            parts.append(plain_text(block.children))
        elif isinstance(block, BulletList):
            parts += [plain_text(item) for item in block.items]
    return normalise(" ".join(parts))


@pytest.fixture(scope="module")
def french():
    sources = Sources(ROOT / "sources")
    [source] = [s for s in sources.lessons() if (s.id, s.language) == ("digital-labor", "fr")]
    return load_document(sources, source)


def test_shipped_sources_pass_check():
    sources = Sources(ROOT / "sources")
    named = [s for s in sources.lessons() + sources.readings() if s.path in SHIPPED_FILES]
    assert len(named) == len(SHIPPED_FILES)
    assert [str(p) for p in check_all(sources, named)] == []


@pytest.mark.parametrize("index", range(len(SEED_QUESTIONS)), ids=list("abcde"))
def test_question_prompt_and_answer_are_word_for_word(french, index):
    prompt_start, prompt_end, answer_spans = SEED_QUESTIONS[index]
    question = french.lesson.questions()[index]
    seed_prompt = seed_span(prompt_start, prompt_end)
    assert normalise(plain_text(parse_inline(question.prompt))) == seed_prompt
    assert answer_text(question.answer) == " ".join(seed_span(start, end) for start, end in answer_spans)


def test_answer_e_keeps_its_five_bullets(french):
    [bullets] = parse_blocks(french.lesson.questions()[4].answer)
    assert isinstance(bullets, BulletList) and len(bullets.items) == 5


def test_sheet_structure_is_complete(french):
    lesson = french.lesson
    texts = normalise(str(lesson.model_dump()))
    for heading in (
        "Le travail à la demande",
        "Le micro-travail réalisé sur des plateformes",
        "Le travail effectué par les internautes",
        "Amazon et le",
        "Un nouveau regard sur le Web",
        "Le canular du Turc mécanique",
    ):
        assert heading in texts, heading
    notes = [n.text for s in lesson.sections for n in s.footnotes]
    assert any("Antonio Casilli" in n for n in notes) and any("Histoire d’Internet et du Web" in n for n in notes)
    assert [g.term for g in lesson.glossary] == [
        "Digital labor",
        "Crowdsourcing",
        "Intelligence artificielle",
        "Micro-travail",
    ]
    assert all(len(g.definition.split()) >= 8 for g in lesson.glossary)
    assert (lesson.activity.duration, lesson.activity.mode) == (45, "unplugged")
    assert [m.url for m in lesson.activity.materials] == ["https://www.youtube.com/watch?v=Y8URdO7mDfg"]
    seed_urls = re.findall(r"https://\S+", SEED_SHEET)
    resource_urls = [r.url for r in lesson.resources]
    assert len(resource_urls) == 4
    for url in resource_urls:  # the last URL is truncated in the extraction
        assert any(url.startswith(seed) for seed in seed_urls), url
    assert lesson.readings == ["casilli-2016"]
    assert all(section.slide_points for section in lesson.sections)


def test_automaton_figure_is_bundled_with_alt_text_and_credit(french):
    [figure] = [f for f in french.lesson.figures() if f.image]
    assert (french.folder / figure.image).is_file()
    assert len(figure.alt.split()) >= 8 and figure.credit


def reading_words(reading) -> int:
    texts = [reading.thesis]
    texts += [p for section in reading.sections for p in section.key_points]
    texts += [f.measures for f in reading.key_figures]
    texts += [c.definition for c in reading.concepts]
    return sum(len(plain_text(parse_inline(t)).split()) for t in texts)


def test_reading_summary_covers_the_essay(french):
    [reading] = french.readings
    assert 900 <= reading_words(reading) <= 1300
    assert len(reading.sections) >= 7
    assert 3 <= len(reading.questions) <= 5
    values = " ".join(f.value for f in reading.key_figures)
    for number in ("47", "12", "6,2", "2,1", "15", "30", "140"):
        assert number in values, number
    terms = " ".join(c.term for c in reading.concepts).lower()
    for concept in ("plateformisation", "prosumer", "inshoring", "parasubordination", "prisme salarial", "revenu"):
        assert concept in terms, concept
    charts = [f.chart for s in reading.sections for f in s.figures if f.chart]
    assert charts and charts[0].values[:2] == [12.0, 6.2]
    assert reading.references


# --------------------------------------------------------------------------- what the deck needs, in every language

LANGUAGES = ["fr", "en-GB", "de-CH"]


def shipped_document(language: str):
    sources = Sources(ROOT / "sources")
    [source] = [s for s in sources.lessons() if (s.id, s.language) == ("digital-labor", language)]
    return load_document(sources, source)


def timed_parts(document):
    """Every part of the lesson that carries teacher notes: sections, boxes, the activity, questions, closing."""
    lesson = document.lesson
    parts = [*lesson.sections, *(box for section in lesson.sections for box in section.boxes)]
    parts += [lesson.activity, *lesson.activity.questions, *(q for r in document.readings for q in r.questions)]
    return [*parts, lesson.closing]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_question_has_key_points(language):
    document = shipped_document(language)
    questions = document.lesson.questions() + [q for reading in document.readings for q in reading.questions]
    assert len(questions) == 10
    for question in questions:
        assert question.key_points and len(question.key_points) <= 4, question.id
    assert all(q.slide_prompt for reading in document.readings for q in reading.questions)


@pytest.mark.parametrize("language", LANGUAGES)
def test_teacher_notes_timings_add_up_to_the_lesson(language):
    document = shipped_document(language)
    parts = timed_parts(document)
    assert all(part.teacher_notes and part.teacher_notes.text for part in parts)
    assert sum(part.teacher_notes.duration for part in parts) == document.lesson.duration == 90
    activity = document.lesson.activity
    inside = activity.teacher_notes.duration + sum(q.teacher_notes.duration for q in activity.questions)
    assert inside == activity.duration
    assert document.lesson.closing.remember and document.lesson.closing.exit_question
