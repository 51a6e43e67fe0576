// The translation page: save a text, mark texts as translated, show only what needs work.
// Plain JavaScript, no build step; the server answers every change with the new states in words.
"use strict";

(function () {
  const page = document.getElementById("translation");
  if (!page) return;
  const fieldUrl = page.dataset.fieldUrl;
  const fieldsUrl = page.dataset.fieldsUrl;
  const translatedUrl = page.dataset.translatedUrl;
  const fields = Array.from(page.querySelectorAll(".field")).filter((field) => textarea(field));
  const pageNote = document.getElementById("page-note");
  // [state, its name in the counts], in the order shown: the server's words (translation.STATE_NAMES)
  const STATE_NAMES = JSON.parse(document.getElementById("counts").dataset.words);

  function textarea(field) {
    return field.querySelector("textarea");
  }

  function note(field, message, kind) {
    const element = field.querySelector(".note");
    element.textContent = message;
    element.dataset.kind = kind || "";
  }

  // Textareas grow with their text (CSS field-sizing does it where supported; this is the fallback).
  function grow(area) {
    area.style.height = "auto";
    area.style.height = area.scrollHeight + 2 + "px";
  }

  function isChanged(field) {
    return textarea(field).value !== field.dataset.saved;
  }

  function showChanged(field) {
    const changed = isChanged(field);
    field.classList.toggle("changed", changed);
    if (changed) note(field, "Changed, not saved yet.", "pending");
    else if (field.querySelector(".note").dataset.kind === "pending") note(field, "");
  }

  function setState(field, state, words, help) {
    field.dataset.state = state;
    const badge = field.querySelector(".state");
    badge.dataset.state = state;
    badge.querySelector(".state-words").textContent = words;
    field.querySelector(".state-help").textContent = help || "";
    // "What changed in the original" belongs to a stale text: once marked again, the change is recorded
    const change = field.querySelector(".change");
    if (change) change.hidden = state !== "stale";
  }

  function setProblems(list, problems) {
    list.replaceChildren(
      ...problems.map((problem) => {
        const item = document.createElement("li");
        item.textContent = problem;
        return item;
      }),
    );
    list.hidden = problems.length === 0;
  }

  function setCounts(counts) {
    const line = document.getElementById("counts");
    const parts = STATE_NAMES.filter(([state]) => counts[state])
      .map(([state, name]) => {
        const part = document.createElement("span");
        part.className = "count";
        part.dataset.state = state;
        const number = document.createElement("span");
        number.className = "number";
        number.textContent = counts[state];
        part.append(number, " " + name);
        return part;
      });
    line.replaceChildren();
    parts.forEach((part, index) => {
      if (index) line.append(", ");
      line.append(part);
    });
  }

  async function post(url, body) {
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw new Error("lessonkit is not answering: is it still running in its terminal window?");
    }
    let answer = {};
    try {
      answer = await response.json();
    } catch (error) {
      answer = { error: (await response.text().catch(() => "")) || response.statusText };
    }
    if (!response.ok) {
      const failure = new Error(answer.error || "This did not work (" + response.status + ").");
      failure.problems = answer.problems || [];
      failure.field = answer.field;
      throw failure;
    }
    return answer;
  }

  function showFileProblems(problems) {
    const box = document.getElementById("file-problems");
    setProblems(box.querySelector("ul"), problems);
    box.hidden = problems.length === 0;
  }

  // A field as the server saved it: its text (tidied), state, problems.
  function showSaved(field, saved) {
    const area = textarea(field);
    if (saved.text !== null && area.value.trim() === saved.text.trim()) area.value = saved.text;
    field.dataset.saved = area.value;
    setState(field, saved.state, saved.words, saved.help);
    setProblems(field.querySelector(".problems"), saved.problems);
    showChanged(field);
    note(field, saved.problems.length ? "Saved, with a problem to fix (below)." : "Saved.", "done");
    grow(area);
  }

  async function save(field) {
    note(field, "Saving…", "pending");
    try {
      const answer = await post(fieldUrl, { field: field.dataset.field, text: textarea(field).value });
      showSaved(field, answer);
      showFileProblems(answer.file_problems);
      setCounts(answer.counts);
      return true;
    } catch (error) {
      note(field, "Not saved: " + error.message, "error");
      setProblems(field.querySelector(".problems"), error.problems || []);
      return false;
    }
  }

  function applyStates(answer) {
    for (const field of fields) {
      const state = answer.states[field.dataset.field];
      if (state) setState(field, state.state, state.words, state.help);
    }
    setCounts(answer.counts);
    filter();
  }

  async function mark(field) {
    if (isChanged(field) && !(await save(field))) return;
    note(field, "Marking…", "pending");
    try {
      const answer = await post(translatedUrl, { fields: [field.dataset.field] });
      applyStates(answer);
      const state = field.dataset.state;
      if (state === "translated") note(field, "Marked as translated.", "done");
      else if (state === "untranslated")
        note(field, "Not marked: remove “TODO translate:” once the text is translated.", "error");
      else if (state === "missing") note(field, "Not marked: write the translation first.", "error");
      else note(field, "Not marked.", "error");
    } catch (error) {
      note(field, "Not marked: " + error.message, "error");
      setProblems(field.querySelector(".problems"), error.problems || []);
    }
  }

  // Every changed text in one write: all are saved, or none (and the note beside the one refused says why).
  async function saveAll() {
    const changed = fields.filter(isChanged);
    if (!changed.length) {
      pageNote.textContent = "There are no unsaved changes.";
      return true;
    }
    pageNote.textContent = "Saving " + changed.length + " text(s)…";
    const texts = {};
    for (const field of changed) texts[field.dataset.field] = textarea(field).value;
    try {
      const answer = await post(fieldsUrl, { texts: texts });
      for (const field of changed) showSaved(field, answer.fields[field.dataset.field]);
      showFileProblems(answer.file_problems);
      setCounts(answer.counts);
      pageNote.textContent = "Saved " + changed.length + " text(s).";
      filter();
      return true;
    } catch (error) {
      const refused = changed.find((field) => field.dataset.field === error.field);
      if (refused) {
        note(refused, "Not saved: " + error.message, "error");
        setProblems(refused.querySelector(".problems"), error.problems || []);
      }
      pageNote.textContent =
        "Nothing was saved: " + error.message + (refused ? " (see the note beside that text)" : "");
      return false;
    }
  }

  async function markAll() {
    if (!(await saveAll())) return;
    pageNote.textContent = "Marking every translated text…";
    try {
      const answer = await post(translatedUrl, { fields: null });
      applyStates(answer);
      const left = fields.filter((field) => field.dataset.state !== "translated").length;
      pageNote.textContent =
        answer.recorded +
        " text(s) marked as translated." +
        (left ? " " + left + " still need work (not translated yet, or missing)." : "");
    } catch (error) {
      pageNote.textContent = "Nothing was marked: " + error.message + " " + (error.problems || []).join(" ");
    }
  }

  // "Show only what needs work": done texts are hidden, unless they hold unsaved changes.
  const needsWork = document.getElementById("needs-work");
  function filter() {
    const only = needsWork.checked;
    for (const field of fields) {
      field.hidden = only && field.dataset.state === "translated" && !isChanged(field);
    }
    for (const group of page.querySelectorAll(".group")) {
      group.hidden = Array.from(group.querySelectorAll(".field")).every((field) => field.hidden);
    }
    const all = Array.from(page.querySelectorAll(".field"));
    document.getElementById("nothing-left").hidden = !all.every((field) => field.hidden);
  }

  for (const field of fields) {
    const area = textarea(field);
    field.dataset.saved = area.value;
    area.addEventListener("input", () => {
      grow(area);
      showChanged(field);
    });
    area.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key === "s") {
        event.preventDefault();
        save(field);
      }
    });
    field.querySelector(".save").addEventListener("click", () => save(field));
    field.querySelector(".mark").addEventListener("click", () => mark(field));
  }
  needsWork.addEventListener("change", filter);
  document.getElementById("save-all").addEventListener("click", saveAll);
  document.getElementById("mark-all").addEventListener("click", markAll);
  window.addEventListener("beforeunload", (event) => {
    if (fields.some(isChanged)) event.preventDefault();
  });
  // Grow once the page is laid out (scrollHeight needs the final width).
  requestAnimationFrame(() => fields.forEach((field) => grow(textarea(field))));
  window.addEventListener("resize", () => fields.forEach((field) => grow(textarea(field))));
})();
