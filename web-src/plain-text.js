// Stands in for codemirror-json-schema's utils/markdown.js in the bundle (see build.mjs).
//
// The original renders schema descriptions with markdown-it and starts Shiki, which loads
// themes, a grammar and a WebAssembly engine: a megabyte the editor does not need. lessonkit's
// descriptions are plain sentences (the `[…]{lang=en}` they mention is lessonkit's markup, to be
// shown as typed), so they are shown as text: escaped, never parsed as HTML or Markdown.

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function renderMarkdown(markdown) {
  return String(markdown ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
