"""The translation page (issue 12, must 5): a translation beside its original, field by field.

``GET /translate/{kind}/{id}/{language}`` shows every text of the original (read-only) beside the
translation's (editable), in the original's order, each with its state in words: missing, not yet
translated, stale, translated but not marked yet, done. ``translation.field_states`` decides the states,
exactly as ``lessonkit status`` does. Under a stale text's original, what changed since it was marked: the
original's text then, with the words removed (``<del>``) and added (``<ins>``) since (``translation.word_diff``),
hidden by the script once the text is marked again.

Two JSON POSTs change files (the CSRF guard of security.py checks them):

- ``…/field`` ``{"field": PATH, "text": TEXT}`` writes that one text into the translation's YAML and
  answers ``{"field", "state", "words", "help", "text", "problems", "file_problems", "counts"}``;
  ``…/fields`` ``{"texts": {PATH: TEXT, …}}`` writes several in one write (all or none) and answers
  ``{"fields": {PATH: {"state", …}}, "file_problems", "counts"}``; a refusal is
  ``{"error", "problems", "field"}`` with a 4xx status;
- ``…/translated`` ``{"fields": [PATH, …] | null}`` records texts as translating the current original,
  as ``lessonkit translated [--field PATH]`` does, and answers ``{"states", "recorded", "counts"}``.

The reading, states and writing of texts are in ``lessonkit.web.translating``.
"""

from __future__ import annotations

import json
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ... import translation
from ...i18n import babel_locale
from ...sources import is_id
from ..pages import page, project_of
from ..paths import KINDS, confined
from ..translating import (
    COUNT_WORDS,
    MAX_BODY_BYTES,
    MAX_TEXT_CHARACTERS,
    STATE_HELP,
    STATE_WORDS,
    STATES,
    Pair,
    Refused,
    changing,
    check,
    counts,
    plain,
    read_pair,
    rows,
    shortened,
    write_texts,
)


def _address(request: Request) -> tuple[str, str, str]:
    return request.path_params["kind"], request.path_params["id"], request.path_params["language"]


def _language_name(tag: str) -> str:
    try:
        return babel_locale(tag).get_display_name("en") or tag
    except Exception:  # babel raises several kinds of errors for tags it does not know
        return tag


async def translation_page(request: Request) -> Response:
    kind, document_id, language = _address(request)
    project = project_of(request)
    try:
        pair, found, elsewhere = await run_in_threadpool(_page_data, project.root, kind, document_id, language)
    except Refused as refused:
        title = f"Translating “{document_id}”"
        return page(request, "error.html.j2", 409, title=title, message=" ".join([refused.message, *refused.problems]))
    states = {row.path: row.state for row in found}
    title = shortened(pair.original["title"]) if isinstance(pair.original.get("title"), str) else document_id
    return page(
        request,
        "translation.html.j2",
        title=f"Translate “{title}”",
        document_title=title,
        readings=_readings(project.root, pair) if kind == "lesson" else [],
        kind=kind,
        document_id=document_id,
        pair=pair,
        rows=found,
        elsewhere=elsewhere,
        counts=counts(states),
        count_words=COUNT_WORDS,
        states_named=[[state, COUNT_WORDS[state]] for state in STATES],  # for the script, in the order shown
        states=STATES,
        state_words=STATE_WORDS,
        original_name=_language_name(pair.original_language),
        language_name=_language_name(language),
    )


def _readings(root: Path, pair: Pair) -> list[str]:
    """The lesson's readings that have a translation in this language too (``translate`` writes them with it)."""
    ids = pair.original.get("readings")
    ids = [r for r in ids if isinstance(r, str) and is_id(r)] if isinstance(ids, list) else []
    return [r for r in ids if (root / "sources" / "readings" / r / f"{pair.language}.yaml").is_file()]


def _page_data(root: Path, kind: str, document_id: str, language: str):
    pair = read_pair(root, kind, document_id, language)
    found, elsewhere = rows(pair, check(pair))
    return pair, found, elsewhere


async def save_field(request: Request) -> Response:
    """``{"field": PATH, "text": TEXT}``: one text (a field's Save button)."""
    try:
        body = await _json(request)
    except Refused as refused:
        return _refusal(refused)
    path_of_field, text = body.get("field"), body.get("text")
    if not isinstance(path_of_field, str) or not isinstance(text, str):
        return _refusal(Refused("Send a field and its text."))
    return await _saved(request, {path_of_field: text}, one=path_of_field)


async def save_fields(request: Request) -> Response:
    """``{"texts": {PATH: TEXT, …}}``: several texts in one write (“Save all changes”)."""
    try:
        texts = (await _json(request)).get("texts")
    except Refused as refused:
        return _refusal(refused)
    if not isinstance(texts, dict) or not texts or not all(isinstance(t, str) for t in texts.values()):
        return _refusal(Refused("Send the texts to save, by field."))
    return await _saved(request, texts)


async def _saved(request: Request, texts: dict[str, str], one: str | None = None) -> Response:
    if any(len(text) > MAX_TEXT_CHARACTERS for text in texts.values()):
        return _refusal(Refused(f"A text is longer than {MAX_TEXT_CHARACTERS:,} characters; nothing was saved."))
    try:
        answer = await run_in_threadpool(_save_texts, project_of(request).root, *_address(request), texts)
    except Refused as refused:
        return _refusal(refused)
    return JSONResponse({**answer["fields"][one], **answer} if one else answer)


def _save_texts(root: Path, kind: str, document_id: str, language: str, texts: dict[str, str]) -> dict:
    """Write the texts, then answer with their states and problems after lessonkit's check."""
    with changing:
        pair = read_pair(root, kind, document_id, language)
        originals = {f.path: f.text for f in translation.text_fields(pair.original)}
        if unknown := [path for path in texts if path not in originals]:
            refused = Refused("The original has no such text.")
            refused.field = unknown[0]
            raise refused
        write_texts(pair, {path: _tidied(text, originals[path]) for path, text in texts.items()})
        pair = read_pair(root, kind, document_id, language)
        found, elsewhere = rows(pair, check(pair))
    fields = {
        row.path: {
            "field": row.path,
            "state": row.state,
            "words": row.words,
            "help": row.help,
            "text": row.text,
            "problems": row.problems,
        }
        for row in found
        if row.path in texts
    }
    return {"fields": fields, "file_problems": elsewhere, "counts": counts({r.path: r.state for r in found})}


def _tidied(text: str, original: str) -> str:
    """A browser's text as a source holds it: no stray spaces or blank lines around it; the original's final
    line break (a text written ``|``) kept."""
    text = text.replace("\r\n", "\n").strip()
    return text + "\n" if original.endswith("\n") and text else text


async def mark_translated(request: Request) -> Response:
    kind, document_id, language = _address(request)
    try:
        fields = (await _json(request)).get("fields")
    except Refused as refused:
        return _refusal(refused)
    if fields is not None and (not isinstance(fields, list) or not all(isinstance(f, str) for f in fields)):
        return _refusal(Refused("Send the fields to mark as a list, or null for all of them."))
    root = project_of(request).root
    try:
        answer = await run_in_threadpool(_mark, root, kind, document_id, language, fields)
    except Refused as refused:
        return _refusal(refused)
    return JSONResponse(answer)


def _mark(root: Path, kind: str, document_id: str, language: str, fields: list[str] | None) -> dict:
    with changing:
        pair = read_pair(root, kind, document_id, language)
        known = {f.path for f in translation.text_fields(pair.original)}
        if fields is not None and not set(fields) <= known:
            raise Refused("The original has no such text.")
        confined(root / "sources", KINDS[kind], document_id, translation.record_path(pair.path).name)  # no link
        if problems := check(pair):  # as `lessonkit translated`: a translation is fixed before it is recorded
            message = "Fix the problems of this translation before marking texts as translated."
            raise Refused(message, 409, plain(problems, pair.path))
        recorded = translation.write_record(
            pair.path, pair.original_language, pair.original, pair.data, set(fields) if fields is not None else None
        )
        states = {state.path: state.state for state in pair.states()}
    return {
        "recorded": recorded,
        "states": {path: {"state": s, "words": STATE_WORDS[s], "help": STATE_HELP[s]} for path, s in states.items()},
        "counts": counts(states),
    }


async def _json(request: Request) -> dict:
    """The request's JSON object ({} when it is none); ``Refused`` (413) past ``MAX_BODY_BYTES``, unread."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise Refused("This is more text than a lesson holds; nothing was saved.", 413)
    try:
        data = json.loads(body)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _refusal(refused: Refused) -> JSONResponse:
    answer = {"error": refused.message, "problems": refused.problems, "field": refused.field}
    return JSONResponse(answer, status_code=refused.status)


routes = [
    Route("/translate/{kind}/{id}/{language}", translation_page, name="translation"),
    Route("/api/translation/{kind}/{id}/{language}/field", save_field, methods=["POST"], name="translation_field"),
    Route("/api/translation/{kind}/{id}/{language}/fields", save_fields, methods=["POST"], name="translation_fields"),
    Route(
        "/api/translation/{kind}/{id}/{language}/translated",
        mark_translated,
        methods=["POST"],
        name="translation_translated",
    ),
]
