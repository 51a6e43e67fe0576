"""``lessonkit new``: a starter lesson a teacher fills in, with every kind of part once, each explained.

The lesson is written in French, English or German (its texts and its comments); in another language
that lessonkit can print, its texts are English placeholders and its comments are in English.
"""

from __future__ import annotations

from pathlib import Path

from .errors import display_path
from .schema import write_schemas

SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="120" viewBox="0 0 200 120">
  <title>{alt}</title>
  <rect x="10" y="10" width="180" height="100" rx="12" fill="#e8f0fe" stroke="#1a73e8" stroke-width="4"/>
  <circle cx="60" cy="60" r="25" fill="#1a73e8"/>
  <path d="M100 85 L130 35 L160 85 Z" fill="#fbbc04"/>
</svg>
"""

# The words of the starter lesson, by language: comments (c_…) and texts.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "c_head": "A starter lesson: replace every text with your own, keep the field names before the colons.",
        "c_schema": "The first line lets Visual Studio Code (YAML extension) explain every field as you type.",
        "c_text": "A text holding a colon, a # or starting with a quotation mark goes between double quotes.",
        "c_id": "the name of this lesson's folder: lower-case letters, digits and dashes",
        "c_language": "the language code, also the file's name",
        "c_level": "the school level, printed at the top of the sheet",
        "c_subject": "the school subject",
        "c_duration": "the whole lesson, in minutes",
        "c_credits": "who wrote the lesson and how colleagues may share it",
        "c_sections": "the parts of the lesson, in order; each one gets a slide",
        "c_section_id": "a short name for the part, never printed; keep it when you reword the heading",
        "c_heading": "the part's heading on the sheet and on its slide",
        "c_icon": "a small picture before the heading (globe, book, lightbulb, question, …)",
        "c_body": "the text: one paragraph per item starting with “- ”",
        "c_subsections": "titled parts after the text (optional)",
        "c_figures": "pictures from the assets/ folder beside this file (optional)",
        "c_alt": "what the picture shows, for students who cannot see it",
        "c_boxes": "a box printed beside the text: kind is case, story, definition, tip or warning",
        "c_footnotes": "footnotes, referred to in the text as [^id]",
        "c_slide_points": "what the projected slide shows: at most 6 bullets of at most 12 words",
        "c_teacher_notes": "for your eyes only: in the slide's speaker notes, never on the sheet",
        "c_activity": "the classroom activity with its questions",
        "c_mode": "unplugged (no computers), plugged (students use devices) or mixed",
        "c_materials": "videos, sites and documents the class uses: printed with a QR code",
        "c_instructions": "what students do, addressed to them: on the student sheet",
        "c_teacher_instructions": "what you do: in the answer key and the speaker notes, never on the student sheet",
        "c_questions": "the questions, numbered 1, 2, 3… on the sheet, the key and the slides",
        "c_question_id": "a short name, never printed: keep it when you reword the question",
        "c_answer": "the model answer, printed in the answer key; “|” keeps the lines as typed",
        "c_lines": "ruled lines students get to write their answer (leave it out: lessonkit gives enough room)",
        "c_points": "what the question is worth (optional): totalled in the answer key",
        "c_key_points": "the answer in at most 4 short bullets: they appear on the question's slide on a click",
        "c_resources": "books and sites to go further: printed with a QR code",
        "c_glossary": "words explained for the students",
        "c_closing": "the last slide: what to remember and a question to answer before leaving (optional)",
        "c_readings": "texts from sources/readings/ to include, by their folder's name (optional)",
        "level": "Upper secondary",
        "subject": "Digital education",
        "author": "Your Name",
        "heading": "What this lesson is about",
        "body1": "Write the first paragraph here. Text can be *in italics* or **in bold**.[^first-note]",
        "body2": "A second paragraph, with [a link](https://example.org).",
        "sub_heading": "A closer look",
        "sub_body": "A subsection has its own heading and text.",
        "caption": "A picture from the assets folder",
        "alt": "A blue circle and a yellow triangle in a frame",
        "box_title": "A definition",
        "box_body": "A box sets a text apart: a case, a story, a definition, a tip or a warning.",
        "note": "A footnote, printed at the foot of the page.",
        "point1": "The first idea, in a few words",
        "point2": "The second idea",
        "notes": "Start with a question to the class.",
        "activity": "In class",
        "material": "A video or a website",
        "material_about": "One sentence on what students find there.",
        "instructions": "Read the text, then answer the questions.",
        "teacher_instructions": "Hand out the worksheet and read the first paragraph aloud.",
        "task": "Read, then answer",
        "prompt1": "What is this lesson about?",
        "answer1": "A model answer, as the teacher expects it.",
        "key1": "The main idea",
        "prompt2": "Give two examples.",
        "answer2a": "- a first example",
        "answer2b": "- a second example",
        "notes2": "Let students answer in pairs.",
        "resource": "A site to go further",
        "resource_about": "One sentence on what students find there.",
        "term": "Term",
        "definition": "What the term means, in words students understand.",
        "remember": "The one idea to remember",
        "exit": "What did you learn today?",
        "title": "My new lesson",
    },
    "fr": {
        "c_head": "Une leçon de départ : remplacez chaque texte, gardez les noms avant les deux-points.",
        "c_schema": "La première ligne permet à Visual Studio Code (extension YAML) d’expliquer chaque champ.",
        "c_text": "Un texte avec deux-points, un # ou commençant par un guillemet : entre guillemets droits.",
        "c_id": "le nom du dossier de cette leçon : minuscules, chiffres et tirets",
        "c_language": "le code de la langue, aussi le nom du fichier",
        "c_level": "le niveau scolaire, imprimé en haut de la feuille",
        "c_subject": "la discipline",
        "c_duration": "la leçon entière, en minutes",
        "c_credits": "qui a écrit la leçon et comment des collègues peuvent la partager",
        "c_sections": "les parties de la leçon, dans l’ordre ; chacune a sa diapositive",
        "c_section_id": "un nom court de la partie, jamais imprimé ; gardez-le si vous changez le titre",
        "c_heading": "le titre de la partie, sur la feuille et sur sa diapositive",
        "c_icon": "une petite image avant le titre (globe, book, lightbulb, question, …)",
        "c_body": "le texte : un paragraphe par élément commençant par « - »",
        "c_subsections": "des sous-parties avec leur titre, après le texte (facultatif)",
        "c_figures": "des images du dossier assets/ à côté de ce fichier (facultatif)",
        "c_alt": "ce que montre l’image, pour les élèves qui ne peuvent pas la voir",
        "c_boxes": "un encadré à côté du texte : kind vaut case, story, definition, tip ou warning",
        "c_footnotes": "les notes de bas de page, appelées dans le texte par [^id]",
        "c_slide_points": "ce que montre la diapositive : au plus 6 puces d’au plus 12 mots",
        "c_teacher_notes": "pour vous seul·e : dans les notes de la diapositive, jamais sur la feuille",
        "c_activity": "l’activité en classe et ses questions",
        "c_mode": "unplugged (sans ordinateur), plugged (avec appareils) ou mixed",
        "c_materials": "vidéos, sites et documents utilisés en classe : imprimés avec un code QR",
        "c_instructions": "ce que font les élèves, en s’adressant à eux : sur la feuille de l’élève",
        "c_teacher_instructions": "ce que vous faites : dans le corrigé et les notes, jamais sur la feuille de l’élève",
        "c_questions": "les questions, numérotées 1, 2, 3… sur la feuille, le corrigé et les diapositives",
        "c_question_id": "un nom court, jamais imprimé : gardez-le si vous reformulez la question",
        "c_answer": "la réponse modèle, imprimée dans le corrigé ; « | » garde les lignes telles quelles",
        "c_lines": "lignes réglées pour la réponse des élèves (sans ce champ, lessonkit donne assez de place)",
        "c_points": "le nombre de points de la question (facultatif) : totalisés dans le corrigé",
        "c_key_points": "la réponse en 4 puces courtes au plus : elles apparaissent sur la diapositive au clic",
        "c_resources": "livres et sites pour aller plus loin : imprimés avec un code QR",
        "c_glossary": "les mots expliqués aux élèves",
        "c_closing": "la dernière diapositive : à retenir, et une question avant de sortir (facultatif)",
        "c_readings": "des textes de sources/readings/ à inclure, par le nom de leur dossier (facultatif)",
        "level": "Secondaire II",
        "subject": "Éducation numérique",
        "author": "Votre Nom",
        "heading": "De quoi parle cette leçon",
        "body1": "Écrivez ici le premier paragraphe. Le texte peut être *en italique* ou **en gras**.[^first-note]",
        "body2": "Un deuxième paragraphe, avec [un lien](https://example.org).",
        "sub_heading": "Pour aller plus loin",
        "sub_body": "Une sous-partie a son propre titre et son texte.",
        "caption": "Une image du dossier assets",
        "alt": "Un cercle bleu et un triangle jaune dans un cadre",
        "box_title": "Une définition",
        "box_body": "Un encadré met un texte à part : un cas, une histoire, une définition, un conseil.",
        "note": "Une note, imprimée en bas de la page.",
        "point1": "La première idée, en quelques mots",
        "point2": "La deuxième idée",
        "notes": "Commencer par une question à la classe.",
        "activity": "En classe",
        "material": "Une vidéo ou un site",
        "material_about": "Une phrase sur ce que les élèves y trouvent.",
        "instructions": "Lisez le texte, puis répondez aux questions.",
        "teacher_instructions": "Distribuer la feuille et lire le premier paragraphe à voix haute.",
        "task": "Lire, puis répondre",
        "prompt1": "De quoi parle cette leçon ?",
        "answer1": "Une réponse modèle, telle que l’enseignant·e l’attend.",
        "key1": "L’idée principale",
        "prompt2": "Donnez deux exemples.",
        "answer2a": "- un premier exemple",
        "answer2b": "- un deuxième exemple",
        "notes2": "Faire répondre en binômes.",
        "resource": "Un site pour aller plus loin",
        "resource_about": "Une phrase sur ce que les élèves y trouvent.",
        "term": "Terme",
        "definition": "Ce que le terme veut dire, avec des mots d’élève.",
        "remember": "L’idée à retenir",
        "exit": "Qu’avez-vous appris aujourd’hui ?",
        "title": "Ma nouvelle leçon",
    },
    "de": {
        "c_head": "Eine Startlektion: Ersetzen Sie jeden Text, behalten Sie die Namen vor den Doppelpunkten.",
        "c_schema": "Mit der ersten Zeile erklärt Visual Studio Code (YAML-Erweiterung) jedes Feld beim Tippen.",
        "c_text": "Text mit Doppelpunkt, mit # oder Anführungszeichen am Anfang: in gerade Anführungszeichen setzen.",
        "c_id": "der Name des Ordners dieser Lektion: Kleinbuchstaben, Ziffern und Bindestriche",
        "c_language": "der Sprachcode, auch der Name der Datei",
        "c_level": "die Schulstufe, oben auf dem Blatt gedruckt",
        "c_subject": "das Schulfach",
        "c_duration": "die ganze Lektion, in Minuten",
        "c_credits": "wer die Lektion geschrieben hat und wie Kolleginnen und Kollegen sie teilen dürfen",
        "c_sections": "die Teile der Lektion, der Reihe nach; jeder bekommt eine Folie",
        "c_section_id": "ein kurzer Name des Teils, nie gedruckt; behalten Sie ihn, wenn Sie den Titel ändern",
        "c_heading": "der Titel des Teils, auf dem Blatt und auf seiner Folie",
        "c_icon": "ein kleines Bild vor dem Titel (globe, book, lightbulb, question, …)",
        "c_body": "der Text: ein Absatz pro Eintrag, der mit „- “ beginnt",
        "c_subsections": "Unterteile mit eigenem Titel, nach dem Text (freiwillig)",
        "c_figures": "Bilder aus dem Ordner assets/ neben dieser Datei (freiwillig)",
        "c_alt": "was das Bild zeigt, für Lernende, die es nicht sehen können",
        "c_boxes": "ein Kasten neben dem Text: kind ist case, story, definition, tip oder warning",
        "c_footnotes": "Fussnoten, im Text mit [^id] aufgerufen",
        "c_slide_points": "was die Folie zeigt: höchstens 6 Punkte mit höchstens 12 Wörtern",
        "c_teacher_notes": "nur für Sie: in den Notizen der Folie, nie auf dem Blatt",
        "c_activity": "die Aktivität im Unterricht und ihre Fragen",
        "c_mode": "unplugged (ohne Computer), plugged (mit Geräten) oder mixed",
        "c_materials": "Videos, Websites und Dokumente für die Klasse: mit QR-Code gedruckt",
        "c_instructions": "was die Lernenden tun, an sie gerichtet: auf dem Arbeitsblatt",
        "c_teacher_instructions": "was Sie tun: in den Lösungen und den Notizen, nie auf dem Arbeitsblatt",
        "c_questions": "die Fragen, nummeriert 1, 2, 3… auf dem Blatt, in den Lösungen und auf den Folien",
        "c_question_id": "ein kurzer Name, nie gedruckt: behalten Sie ihn, wenn Sie die Frage umformulieren",
        "c_answer": "die Musterantwort, in den Lösungen gedruckt; „|“ behält die Zeilen, wie sie getippt sind",
        "c_lines": "Linien für die Antwort der Lernenden (ohne dieses Feld gibt lessonkit genug Platz)",
        "c_points": "wie viele Punkte die Frage zählt (freiwillig): in den Lösungen zusammengezählt",
        "c_key_points": "die Antwort in höchstens 4 kurzen Punkten: sie erscheinen auf der Folie beim Klick",
        "c_resources": "Bücher und Websites zum Weiterlesen: mit QR-Code gedruckt",
        "c_glossary": "Wörter, die den Lernenden erklärt werden",
        "c_closing": "die letzte Folie: was bleiben soll, und eine Frage vor dem Gehen (freiwillig)",
        "c_readings": "Texte aus sources/readings/, nach dem Namen ihres Ordners (freiwillig)",
        "level": "Sekundarstufe II",
        "subject": "Medien und Informatik",
        "author": "Ihr Name",
        "heading": "Worum es in dieser Lektion geht",
        "body1": "Schreiben Sie hier den ersten Absatz. Text kann *kursiv* oder **fett** sein.[^first-note]",
        "body2": "Ein zweiter Absatz, mit [einem Link](https://example.org).",
        "sub_heading": "Genauer betrachtet",
        "sub_body": "Ein Unterteil hat seinen eigenen Titel und Text.",
        "caption": "Ein Bild aus dem Ordner assets",
        "alt": "Ein blauer Kreis und ein gelbes Dreieck in einem Rahmen",
        "box_title": "Eine Definition",
        "box_body": "Ein Kasten hebt einen Text hervor: einen Fall, eine Geschichte, eine Definition, einen Tipp.",
        "note": "Eine Fussnote, unten auf der Seite gedruckt.",
        "point1": "Die erste Idee, in wenigen Worten",
        "point2": "Die zweite Idee",
        "notes": "Mit einer Frage an die Klasse beginnen.",
        "activity": "Im Unterricht",
        "material": "Ein Video oder eine Website",
        "material_about": "Ein Satz dazu, was die Lernenden dort finden.",
        "instructions": "Lesen Sie den Text und beantworten Sie dann die Fragen.",
        "teacher_instructions": "Das Arbeitsblatt verteilen und den ersten Absatz vorlesen.",
        "task": "Lesen, dann antworten",
        "prompt1": "Worum geht es in dieser Lektion?",
        "answer1": "Eine Musterantwort, wie die Lehrperson sie erwartet.",
        "key1": "Die Hauptidee",
        "prompt2": "Nennen Sie zwei Beispiele.",
        "answer2a": "- ein erstes Beispiel",
        "answer2b": "- ein zweites Beispiel",
        "notes2": "Zu zweit antworten lassen.",
        "resource": "Eine Website zum Weiterlesen",
        "resource_about": "Ein Satz dazu, was die Lernenden dort finden.",
        "term": "Begriff",
        "definition": "Was der Begriff bedeutet, in Worten der Lernenden.",
        "remember": "Die eine Idee, die bleiben soll",
        "exit": "Was haben Sie heute gelernt?",
        "title": "Meine neue Lektion",
    },
}

TEMPLATE = """\
# yaml-language-server: $schema=../../../schema/lesson.schema.json
# {c_head}
# {c_schema}
# {c_text}
id: {id}                       # {c_id}
language: {language}           # {c_language}
title: {title}
# {c_level}
level: {level}
# {c_subject}
subject: {subject}
duration: 45                   # {c_duration}
credits:                       # {c_credits}
  authors: [{author}]
  licence: CC BY-SA 4.0
sections:                      # {c_sections}
  - id: introduction           # {c_section_id}
    # {c_heading}
    heading: {heading}
    icon: lightbulb            # {c_icon}
    body:                      # {c_body}
      - {body1}
      - {body2}
    subsections:               # {c_subsections}
      - heading: {sub_heading}
        body:
          - {sub_body}
    figures:                   # {c_figures}
      - id: picture
        caption: {caption}
        # {c_alt}
        alt: {alt}
        image: assets/picture.svg
    boxes:                     # {c_boxes}
      - kind: definition
        title: {box_title}
        icon: book
        body:
          - {box_body}
    footnotes:                 # {c_footnotes}
      - id: first-note
        text: {note}
    slide_points:              # {c_slide_points}
      - {point1}
      - {point2}
    teacher_notes:             # {c_teacher_notes}
      duration: 10
      text:
        - {notes}
activity:                      # {c_activity}
  title: {activity}
  duration: 30
  mode: unplugged              # {c_mode}
  materials:                   # {c_materials}
    - title: {material}
      url: https://example.org/video
      description: {material_about}
  instructions:                # {c_instructions}
    - {instructions}
  teacher_instructions:        # {c_teacher_instructions}
    - {teacher_instructions}
  slide_points:
    - {task}
  questions:                   # {c_questions}
    - id: topic                # {c_question_id}
      prompt: {prompt1}
      # {c_answer}
      answer: {answer1}
      lines: 4                 # {c_lines}
      points: 2                # {c_points}
      key_points:              # {c_key_points}
        - {key1}
    - id: examples
      prompt: {prompt2}
      answer: |
        {answer2a}
        {answer2b}
      points: 2
      teacher_notes:
        duration: 10
        text:
          - {notes2}
resources:                     # {c_resources}
  - title: {resource}
    url: https://example.org
    description: {resource_about}
glossary:                      # {c_glossary}
  - term: {term}
    definition: {definition}
closing:                       # {c_closing}
  remember:
    - {remember}
  exit_question: {exit}
  teacher_notes:
    duration: 5
readings: []                   # {c_readings}
"""


class StarterError(Exception):
    """Why no starter lesson was written, in plain words."""


def words_for(language: str) -> dict[str, str]:
    """The starter's words in the language (or its base language), else English."""
    return WORDS.get(language) or WORDS.get(language.split("-")[0]) or WORDS["en"]


def starter_text(lesson_id: str, language: str, title: str | None = None) -> str:
    words = dict(words_for(language))
    if title:
        words["title"] = title
    texts = {
        key: value if key.startswith("c_") or key.startswith("answer2") else _text(value)
        for key, value in words.items()
    }
    return TEMPLATE.format(id=lesson_id, language=language, **texts)


def _text(text: str) -> str:
    """A text written so that it stays exactly as typed: in double quotes when it holds a “: ” or a “ #”,
    or starts with a character YAML reads otherwise."""
    if ": " not in text and " #" not in text and not text.startswith(tuple("*&!%@`'\"[]{}#|>-?,")):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def write_starter(
    project: Path, lesson_id: str, language: str, title: str | None = None, schemas: bool = True
) -> list[Path]:
    """Write ``sources/lessons/<id>/<language>.yaml`` and its ``assets/picture.svg``; never overwrite."""
    from .i18n import catalog_languages
    from .loader import catalog_problem
    from .sources import is_id, is_language

    if not is_id(lesson_id):
        raise StarterError(f"“{lesson_id}” cannot name a lesson: use lower-case letters, digits and dashes")
    if not is_language(language):
        raise StarterError(f"“{language}” is not a language code: write it like fr, de, en, or de-CH, en-GB")
    if catalog_problem(language):
        raise StarterError(f"lessonkit cannot print “{language}” yet; choose one of: {', '.join(catalog_languages())}")
    if title is not None and (not title.strip() or "\n" in title):
        raise StarterError("the title must be one line of text")
    folder = project / "sources" / "lessons" / lesson_id
    path = folder / f"{language}.yaml"
    if path.exists():
        raise StarterError(f"{display_path(path)} already exists; it was left as it is (choose another id or language)")
    picture = folder / "assets" / "picture.svg"
    picture.parent.mkdir(parents=True, exist_ok=True)
    written = [path]
    if not picture.exists():
        picture.write_text(SVG.format(alt=words_for(language)["alt"]), encoding="utf-8")
        written.append(picture)
    with open(path, "x", encoding="utf-8") as stream:  # "x": never overwrites, even if one appears meanwhile
        stream.write(starter_text(lesson_id, language, title))
    if schemas:  # the editor's help, named on the file's first line (the browser app serves its own)
        written += write_schemas(project / "schema")
    return written
