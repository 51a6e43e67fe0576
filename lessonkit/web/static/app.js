/* lessonkit's pages: what every page shares (sending JSON to the app, saying things in plain words). */
"use strict";

window.Lessonkit = (() => {
  /** POST JSON (or a FormData) to the app; returns {ok, status, data}. Never throws: a lost
   *  connection is a message like any other. */
  async function send(url, body, method = "POST") {
    const options = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
    if (body instanceof FormData) {
      options.body = body;
    } else if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    try {
      const response = await fetch(url, options);
      let data = {};
      try {
        data = await response.json();
      } catch (_) {
        data = { error: response.ok ? "" : plainStatus(response.status) };
      }
      if (data && typeof data.error === "string" && data.error) {
        data.error = data.error[0].toUpperCase() + data.error.slice(1); // the API's messages go on a line of their own
      }
      return { ok: response.ok, status: response.status, data };
    } catch (_) {
      return {
        ok: false,
        status: 0,
        data: { error: "lessonkit is not answering. Is it still running in the terminal? Start it again with lessonkit serve." },
      };
    }
  }

  function plainStatus(status) {
    if (status === 401) return "This page lost its key: open the address lessonkit serve printed again.";
    if (status === 403) return "Refused: this change did not come from lessonkit's own page.";
    if (status === 404) return "Not found: it may have been moved or deleted.";
    if (status === 413) return "The file is too large.";
    return "Something went wrong (error " + status + "). Nothing was changed.";
  }

  const get = (url) => send(url, undefined, "GET");

  /** `activity.questions.2.lines` → `activity › question 2 › lines`: a field as a teacher reads it. */
  function plainField(dotted) {
    if (!dotted) return "";
    const words = [];
    for (const part of String(dotted).split(".")) {
      if (/^\d+$/.test(part) && words.length) {
        const previous = words.pop();
        words.push((previous.endsWith("s") ? previous.slice(0, -1) : previous) + " " + part);
      } else {
        words.push(part.replace(/_/g, " "));
      }
    }
    return words.join(" › ");
  }

  /** A message for a status line: its text and its tone ("good", "bad", "busy" or ""). */
  function say(element, text, tone = "") {
    if (!element) return;
    element.textContent = text;
    element.dataset.tone = tone;
  }

  return { send, get, plainField, say };
})();
