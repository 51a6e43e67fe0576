/* The library page: New lesson, Translate to…, and a Build button per edition with its progress. */
"use strict";

(() => {
  const { send, get, say } = window.Lessonkit;
  const AFTER_RELOAD = "lessonkit-build-done";
  const TONES = { running: "busy", done: "good", stopped: "warn" }; // a build's state, as the status line shows it

  // ------------------------------------------------------------------ New lesson
  const newLesson = document.getElementById("new-lesson");
  if (newLesson) {
    const title = newLesson.querySelector("#new-title");
    const id = newLesson.querySelector("#new-id");
    let idTyped = false;
    id.addEventListener("input", () => (idTyped = id.value !== ""));
    // the short name follows the title until the teacher types one
    title.addEventListener("input", () => {
      if (!idTyped) id.value = slug(title.value);
    });
    newLesson.addEventListener("submit", async (event) => {
      event.preventDefault();
      const message = newLesson.querySelector(".message");
      say(message, "Creating the lesson…", "busy");
      const form = new FormData(newLesson);
      const result = await send(newLesson.dataset.action, {
        id: form.get("id"),
        language: form.get("language"),
        title: form.get("title"),
      });
      if (result.ok && result.data.edit) {
        say(message, "Created. Opening it…", "good");
        window.location.assign(result.data.edit);
      } else {
        say(message, result.data.error || "The lesson could not be created.", "bad");
      }
    });
  }

  function slug(text) {
    return text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60)
      .replace(/-+$/g, "");
  }

  // ------------------------------------------------------------------ Translate to…
  for (const form of document.querySelectorAll("form.translate")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const message = form.querySelector(".message");
      const button = form.querySelector("button");
      const to = form.querySelector("select").value;
      button.disabled = true;
      say(message, "Preparing the translation…", "busy");
      const result = await send(form.dataset.action, { to, from: form.dataset.from });
      button.disabled = false;
      if (result.ok) {
        say(message, "Ready. Opening it…", "good");
        const page = form.dataset.page ? `/translate/lesson/${form.dataset.lesson}/${to}` : `/edit/lesson/${form.dataset.lesson}/${to}`;
        window.location.assign(page || window.location.href);
      } else {
        say(message, result.data.error || "The translation could not be started.", "bad");
      }
    });
  }

  // ------------------------------------------------------------------ Build
  for (const button of document.querySelectorAll("button.build")) {
    button.addEventListener("click", () => build(button));
  }

  for (const stop of document.querySelectorAll("button.stop-build")) {
    stop.addEventListener("click", async () => {
      stop.disabled = true;
      const result = await send(stop.dataset.stop, {});
      if (result.ok) show(stop.closest(".edition").querySelector(".build-status"), result.data);
    });
  }

  async function build(button) {
    const card = button.closest(".edition");
    const status = card.querySelector(".build-status");
    const stop = card.querySelector("button.stop-build");
    button.disabled = true;
    say(status, "Starting the build…", "busy");
    let result = await send(button.dataset.build, {});
    if (stop && result.ok && result.data.state === "running") {
      stop.disabled = false;
      stop.hidden = false;
    }
    while (result.ok && result.data.state === "running") {
      show(status, result.data);
      await new Promise((resolve) => setTimeout(resolve, 700));
      result = await get(button.dataset.build);
    }
    if (stop) {
      if (stop === document.activeElement) button.focus(); // the focus stays on the card, not on a hidden button
      stop.hidden = true;
    }
    button.disabled = false;
    if (result.ok && (result.data.state === "done" || result.data.state === "stopped")) {
      // reload to show the files made (a stopped build may have made some); then say how it ended
      const tone = TONES[result.data.state];
      sessionStorage.setItem(AFTER_RELOAD, JSON.stringify({ build: button.dataset.build, message: result.data.message, tone }));
      window.location.reload();
      return;
    }
    show(status, result.data, "bad");
  }

  /** The build's state in words: its message, and the mistakes or warnings it met. */
  function show(status, data, tone) {
    const said = JSON.stringify([data.message, data.error, data.problems, data.warnings, tone]);
    if (status.dataset.said === said) return; // a live region: say only what is new
    status.dataset.said = said;
    status.replaceChildren();
    const line = document.createElement("span");
    line.textContent = data.message || data.error || "";
    status.append(line);
    status.dataset.tone = tone || TONES[data.state] || "bad";
    const details = [...(data.problems || []), ...(data.warnings || []).map((w) => "Worth a look: " + w)];
    if (details.length) {
      const list = document.createElement("ul");
      for (const text of details) {
        const item = document.createElement("li");
        item.textContent = text;
        list.append(item);
      }
      status.append(list);
    }
  }

  // ------------------------------------------------------------------ lessons still being checked
  // A first visit with many lessons shows the page at once and checks the rest meanwhile: then it reloads,
  // unless the teacher is busy with a form (they reload when they like).
  if (document.querySelector(".edition[data-checking]")) {
    const ask = async () => {
      const result = await get("/api/library/checking");
      if (result.ok && result.data.pending > 0) {
        setTimeout(ask, 1000);
        return;
      }
      const busy = document.activeElement && document.activeElement.closest("form");
      if (!busy) window.location.reload();
    };
    setTimeout(ask, 1000);
  }

  // after a successful build the page reloads (to show the new files): say it was done, where it was pressed
  const done = sessionStorage.getItem(AFTER_RELOAD);
  if (done) {
    sessionStorage.removeItem(AFTER_RELOAD);
    try {
      const { build: url, message, tone } = JSON.parse(done);
      const button = [...document.querySelectorAll("button.build")].find((b) => b.dataset.build === url);
      if (button) {
        say(button.closest(".edition").querySelector(".build-status"), message, tone || "good");
        button.focus();
      }
    } catch (_) {
      /* an old note: nothing to say */
    }
  }
})();
