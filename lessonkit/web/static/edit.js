/* The edit page: the source in the code editor, checked as the teacher types, saved with Ctrl+S or the
 * Save button (and undone with "Undo the last save"), pictures added to the lesson's assets/, and the
 * preview beside it, refreshed after each save. */
"use strict";

(() => {
  const { send, get, plainField, say } = window.Lessonkit;
  const root = document.getElementById("edit");
  if (!root) return;
  const urls = root.dataset;
  const CHECK_AFTER_MS = 400;

  const saveButton = document.getElementById("save");
  const undoButton = document.getElementById("undo");
  const saveState = document.getElementById("save-state");
  const problemList = document.getElementById("problems");
  const problemSummary = document.getElementById("problems-summary");

  let editor = null;
  let savedText = "";
  let checkTimer = null;
  let checkNumber = 0;
  let saving = false;
  let lastSummary = "";

  // ------------------------------------------------------------------ starting

  async function start() {
    const [source, schema] = await Promise.all([get(urls.source), loadSchema()]);
    if (!source.ok) {
      say(saveState, source.data.error || "This file cannot be opened.", "bad");
      return;
    }
    savedText = source.data.text || "";
    const options = { doc: savedText, schema, label: urls.label, onChange: changed };
    const box = document.getElementById("editor");
    editor = window.LessonkitEditor ? window.LessonkitEditor.create(box, options) : plainEditor(box, options);
    saveButton.disabled = false;
    undoButton.disabled = !source.data.can_undo;
    showProblems(source.data.problems || []);
    showSaveState();
    if (urls.line) editor.goTo(Number(urls.line));
    if (!source.data.problems) check();
    if (urls.preview) preview.start();
  }

  async function loadSchema() {
    if (!urls.schema) return null;
    const result = await get(urls.schema);
    return result.ok ? result.data : null;
  }

  /** Without the editor bundle: a plain text box with the same few calls. */
  function plainEditor(parent, { doc, label, onChange }) {
    const area = document.createElement("textarea");
    area.className = "plain-editor";
    area.value = doc;
    area.spellcheck = false;
    area.setAttribute("aria-label", label);
    area.addEventListener("input", () => onChange(area.value));
    parent.append(area);
    return {
      getText: () => area.value,
      setText: (text) => (area.value = text),
      setProblems: () => {},
      goTo(line) {
        const lines = area.value.split("\n").slice(0, Math.max(line - 1, 0));
        const at = lines.reduce((sum, text) => sum + text.length + 1, 0);
        area.focus();
        area.setSelectionRange(at, at);
      },
      focus: () => area.focus(),
    };
  }

  // ------------------------------------------------------------------ checking as the teacher types

  function changed() {
    showSaveState();
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, CHECK_AFTER_MS);
  }

  async function check() {
    const number = ++checkNumber;
    const text = editor.getText();
    const result = await send(urls.check, { text });
    if (number !== checkNumber) return; // the teacher typed on: a newer check is coming
    if (result.ok) {
      showProblems(result.data.problems || []);
    } else {
      problemSummary.textContent = result.data.error || "The check did not run.";
    }
  }

  function isMistake(problem) {
    return (problem.severity || "error") === "error";
  }

  function showProblems(problems) {
    const sorted = [...problems].sort((a, b) => (a.line || 0) - (b.line || 0) || (a.column || 0) - (b.column || 0));
    editor.setProblems(
      sorted.map((p) => ({
        line: p.line || 1,
        column: p.column || 1,
        message: (p.field ? plainField(p.field) + ": " : "") + p.message,
        severity: p.severity || "error",
      })),
    );
    problemList.replaceChildren(
      ...sorted.map((problem) => {
        const item = document.createElement("li");
        item.className = isMistake(problem) ? "mistake" : "advice";
        const go = document.createElement("button");
        go.type = "button";
        go.className = "link";
        go.textContent = problem.line ? `Line ${problem.line}` : "The file";
        go.addEventListener("click", () => editor.goTo(problem.line || 1, problem.column || undefined));
        const words = document.createElement("span");
        const kind = isMistake(problem) ? "" : "Worth a look: ";
        words.textContent = ` ${kind}${problem.field ? plainField(problem.field) + ": " : ""}${problem.message}`;
        item.append(go, words);
        return item;
      }),
    );
    const mistakes = sorted.filter(isMistake).length;
    const advice = sorted.length - mistakes;
    let summary = mistakes ? `${mistakes} mistake${mistakes > 1 ? "s" : ""} to fix.` : "No mistakes.";
    if (advice) summary += ` ${advice} thing${advice > 1 ? "s" : ""} worth a look.`;
    if (mistakes) summary += " Select a line number to go there.";
    if (summary !== lastSummary) {
      problemSummary.textContent = summary; // a live region: said only when it changes
      lastSummary = summary;
    }
    root.dataset.problems = String(mistakes);
  }

  // ------------------------------------------------------------------ saving

  const isDirty = () => editor !== null && editor.getText() !== savedText;

  function showSaveState() {
    const text = isDirty() ? "Changes not saved yet." : "All changes saved.";
    if (saveState.textContent !== text || saveState.dataset.tone === "bad") say(saveState, text, isDirty() ? "" : "good");
  }

  async function save() {
    if (!editor || saving) return;
    saving = true;
    const text = editor.getText();
    say(saveState, "Saving…", "busy");
    const result = await send(urls.save, { text });
    saving = false;
    if (!result.ok || result.data.saved === false) {
      say(saveState, result.data.error || "Not saved. Try again.", "bad");
      return;
    }
    savedText = text;
    undoButton.disabled = !result.data.can_undo;
    const problems = result.data.problems || [];
    showProblems(problems);
    const mistakes = problems.filter(isMistake).length;
    say(
      saveState,
      mistakes ? `Saved, with ${mistakes} mistake${mistakes > 1 ? "s" : ""} to fix.` : "Saved.",
      mistakes ? "" : "good",
    );
    if (editor.getText() !== savedText) showSaveState();
    if (urls.preview) preview.expectNewer(mistakes > 0);
  }

  async function undo() {
    if (!editor) return;
    if (isDirty() && !window.confirm("Undo the last save? The changes you have not saved will be lost too.")) return;
    say(saveState, "Undoing the last save…", "busy");
    const result = await send(urls.undo, {});
    if (!result.ok) {
      say(saveState, result.data.error || "The last save could not be undone.", "bad");
      return;
    }
    let text = result.data.text;
    let canUndo = result.data.can_undo;
    if (typeof text !== "string") {
      const source = await get(urls.source);
      text = source.data.text || "";
      canUndo = source.data.can_undo;
    }
    savedText = text;
    editor.setText(text);
    undoButton.disabled = !canUndo;
    say(saveState, "The last save is undone: the file is back as it was before.", "good");
    check();
    if (urls.preview) preview.expectNewer(false);
  }

  saveButton.addEventListener("click", save);
  undoButton.addEventListener("click", undo);
  document.addEventListener(
    "keydown",
    (event) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
        event.preventDefault();
        save();
      }
    },
    true,
  );
  window.addEventListener("beforeunload", (event) => {
    if (isDirty()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // ------------------------------------------------------------------ pictures

  const picture = document.getElementById("picture");
  if (picture && urls.upload) {
    const note = document.getElementById("picture-note");
    picture.addEventListener("change", async () => {
      const file = picture.files[0];
      if (!file) return;
      note.hidden = false;
      note.replaceChildren(document.createTextNode(`Adding ${file.name}…`));
      const form = new FormData();
      form.append("file", file);
      const result = await send(urls.upload, form);
      picture.value = "";
      if (!result.ok || !result.data.path) {
        note.dataset.tone = "bad";
        note.replaceChildren(document.createTextNode(result.data.error || "The picture could not be added."));
        return;
      }
      note.dataset.tone = "good";
      const line = `image: ${result.data.path}`;
      const code = document.createElement("code");
      code.textContent = line;
      const copy = document.createElement("button");
      copy.type = "button";
      copy.textContent = "Copy the line";
      copy.addEventListener("click", async () => {
        try {
          await navigator.clipboard.writeText(line);
          copy.textContent = "Copied";
        } catch (_) {
          copy.textContent = "Select the line and copy it";
        }
      });
      note.replaceChildren(
        document.createTextNode(`The picture is saved as ${result.data.path}. To show it, add a figure with this line: `),
        code,
        document.createTextNode(" "),
        copy,
      );
    });
  }

  // ------------------------------------------------------------------ the preview

  const preview = (() => {
    const state = document.getElementById("preview-state");
    const stale = document.getElementById("stale");
    const panels = {
      worksheet: document.getElementById("panel-worksheet"),
      answer_key: document.getElementById("panel-answer-key"),
      slides: document.getElementById("panel-slides"),
    };
    let shown = null; // the version on screen
    let shownSignature = ""; // and how much of it (the key and the slides come after the worksheet)
    let before = null; // the version on screen when the teacher saved
    let waiting = false;
    let waitingSince = 0;
    let expectStale = false;
    let timer = null;
    let polls = 0;

    function start() {
      poll();
    }

    function expectNewer(withMistakes) {
      before = shown;
      waiting = true;
      expectStale = withMistakes;
      waitingSince = Date.now();
      say(state, withMistakes ? "Checking the saved text…" : "Updating the preview…", "busy");
      schedule(300);
    }

    function schedule(ms) {
      clearTimeout(timer);
      timer = setTimeout(poll, ms);
    }

    async function poll() {
      polls += 1;
      const result = await get(urls.preview);
      if (!result.ok) {
        say(state, result.data.error || "The preview is not answering.", "bad");
        schedule(5000);
        return;
      }
      const data = result.data;
      if (data.available === false) {
        say(state, data.message, "");
        root.querySelector(".tabs").hidden = true;
        for (const panel of Object.values(panels)) panel.hidden = true;
        return;
      }
      const drawn = (data.worksheet || []).length > 0;
      // the worksheet comes first, then the key, the outline and the slides: show each as it lands
      const counts = ["worksheet", "answer_key", "slides", "outline"].map((key) => (data[key] || []).length);
      const signature = [data.version, data.busy, ...counts].join("|");
      if (drawn && signature !== shownSignature) render(data, signature);
      stale.hidden = !data.stale;
      root.dataset.previewStale = data.stale ? "yes" : "no";
      const waited = Date.now() - waitingSince;
      const arrived = drawn && data.version !== before;
      if (waiting && (arrived || (data.stale && !data.busy && (expectStale || waited > 2500)) || waited > 120000)) {
        waiting = false;
      }
      if (!drawn) {
        say(state, data.stale && !data.busy ? "No preview yet: fix the problems to see one." : "Drawing the preview…", "busy");
      } else if (waiting) {
        say(state, "Updating the preview…", "busy");
      } else if (data.stale) {
        say(state, "Out of date: fix the problems to refresh.", "bad");
      } else if (data.busy) {
        say(state, "Up to date; still drawing the rest…", "busy");
      } else {
        say(state, "Up to date with the saved text.", "good");
      }
      const first = !drawn && polls < 300;
      if (waiting || data.busy || first) schedule(waiting || data.busy ? 500 : 1000);
    }

    function render(data, signature) {
      shown = data.version;
      shownSignature = signature;
      root.dataset.previewVersion = String(data.version);
      fill(panels.worksheet, data.worksheet, (n, of) => `Worksheet, page ${n} of ${of}`);
      fill(panels.answer_key, data.answer_key, (n, of) => `Answer key, page ${n} of ${of}`);
      if (data.slides && data.slides.length) {
        const titles = data.outline || [];
        fill(panels.slides, data.slides, (n, of) => {
          const title = titles[n - 1] && titles[n - 1].title;
          return `Slide ${n} of ${of}` + (title ? `: ${title}` : "");
        });
      } else {
        outline(panels.slides, data.outline || [], data.busy);
      }
    }

    function fill(panel, images, alt) {
      if (!images || !images.length) {
        panel.replaceChildren(paragraph("Nothing to show yet."));
        return;
      }
      panel.replaceChildren(
        ...images.map((url, index) => {
          const image = document.createElement("img");
          image.src = url;
          image.alt = alt(index + 1, images.length);
          image.loading = index < 2 ? "eager" : "lazy";
          image.decoding = "async";
          image.dataset.version = String(shown);
          return image;
        }),
      );
    }

    function outline(panel, slides, drawing) {
      if (!slides.length) {
        panel.replaceChildren(paragraph("Nothing to show yet."));
        return;
      }
      const list = document.createElement("ol");
      list.className = "outline";
      for (const slide of slides) {
        const item = document.createElement("li");
        const title = document.createElement("h3");
        title.textContent = `Slide ${slide.number}${slide.title ? ": " + slide.title : ""}`;
        item.append(title);
        if (slide.lines && slide.lines.length) {
          const lines = document.createElement("ul");
          for (const text of slide.lines) {
            const line = document.createElement("li");
            line.textContent = text;
            lines.append(line);
          }
          item.append(lines);
        }
        list.append(item);
      }
      panel.replaceChildren(
        paragraph(
          drawing
            ? "Drawing pictures of the slides… Meanwhile, here is what each slide says."
            : "Pictures of the slides need LibreOffice on this computer; here is what each slide says.",
        ),
        list,
      );
    }

    function paragraph(text) {
      const p = document.createElement("p");
      p.className = "hint";
      p.textContent = text;
      return p;
    }

    // tabs: Worksheet / Answer key / Slides, with the arrow keys as well
    const tabs = [...document.querySelectorAll('[role="tab"]')];
    function select(tab) {
      for (const other of tabs) {
        const selected = other === tab;
        other.setAttribute("aria-selected", String(selected));
        other.tabIndex = selected ? 0 : -1;
        document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
      }
    }
    for (const tab of tabs) {
      tab.addEventListener("click", () => select(tab));
      tab.addEventListener("keydown", (event) => {
        const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
        if (event.key === "Home" || event.key === "End" || step) {
          event.preventDefault();
          const index = tabs.indexOf(tab);
          const next =
            event.key === "Home" ? 0 : event.key === "End" ? tabs.length - 1 : (index + step + tabs.length) % tabs.length;
          select(tabs[next]);
          tabs[next].focus();
        }
      });
    }

    return { start, expectNewer };
  })();

  start();
})();
