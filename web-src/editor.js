/*
 * lessonkit's source editor: CodeMirror 6 for YAML, with the lesson's JSON Schema driving
 * completion and hover text (codemirror-json-schema), and lessonkit's own problems shown at
 * their lines. Built by `npm run build:editor` (web-src/build.mjs) into one offline file,
 * lessonkit/web/static/editor.js, which defines the global `LessonkitEditor`.
 *
 * API
 * ---
 *   const editor = LessonkitEditor.create(parentElement, {
 *     doc: "…yaml text…",        // the initial text ("" when left out)
 *     schema: {…} | null,        // a JSON Schema object; null: no completion, no hover text
 *     label: "Lesson source",    // aria-label of the editable area (required for screen readers)
 *     onChange: (text) => {},    // after every change made in the editor (typing, undo, paste…),
 *   });                          //   not after setText; the page debounces
 *
 *   editor.getText()             // the whole text
 *   editor.setText(text)         // replaces the text, as one step Ctrl-Z undoes; clears the problems
 *   editor.setProblems([{line: 12, column: 5, message: "…", severity: "error"}, …])
 *                                // replaces the problems shown: 1-based line and column (column
 *                                // optional), severity "error" (default), "warning" or "info".
 *                                // Each is marked from its column to the end of its line, with a
 *                                // gutter marker; its message shows on hover and in the lint panel
 *                                // (Ctrl-Shift-M). Problems follow their text as the teacher types.
 *                                // A line past the end is shown on the last line.
 *   editor.goTo(line, column?)   // puts the cursor on that line (at the column, else at its first
 *                                // character), scrolls it into the middle of the view, focuses
 *   editor.focus()
 *   editor.destroy()             // removes the editor from the page
 *   editor.view                  // the CodeMirror EditorView, for tests and emergencies only
 *
 * Size: the editor fills its parent's height when the page sets one (it scrolls inside), else it
 * grows with the text. Styles come with the script (CodeMirror injects them): no CSS file.
 *
 * Keyboard: Tab indents, so it does not leave the editor; Escape then Tab (or Shift-Tab) moves
 * the focus on, and Ctrl-M (Shift-Alt-M on macOS) switches Tab to moving the focus for good, as
 * CodeMirror's accessibility guide advises. Ctrl-Space completes, Ctrl-F searches, Ctrl-Z undoes,
 * F8 goes to the next problem.
 *
 * Brackets and quotes are not closed automatically: teachers type prose, and an apostrophe
 * (l'ordinateur) must stay one character.
 */

import { CompletionContext, autocompletion, completionKeymap, snippetCompletion } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab, isolateHistory } from "@codemirror/commands";
import { yaml, yamlLanguage } from "@codemirror/lang-yaml";
import {
  HighlightStyle,
  bracketMatching,
  foldGutter,
  foldKeymap,
  indentOnInput,
  syntaxHighlighting,
} from "@codemirror/language";
import { lintGutter, lintKeymap, setDiagnostics } from "@codemirror/lint";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { Annotation, EditorState } from "@codemirror/state";
import {
  EditorView,
  drawSelection,
  dropCursor,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  hoverTooltip,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { tags } from "@lezer/highlight";
import { stateExtensions } from "codemirror-json-schema";
import { yamlCompletion, yamlSchemaHover } from "codemirror-json-schema/yaml";

// Colours with a contrast of at least 7:1 on the white page and 6:1 on the active line.
const INK = "#1b1b1b";
const highlightStyle = HighlightStyle.define([
  { tag: tags.definition(tags.propertyName), color: "#0b4a8f", fontWeight: "600" },
  { tag: [tags.string, tags.special(tags.string)], color: "#7d1d1d" },
  { tag: tags.lineComment, color: "#5c4400", fontStyle: "italic" },
  { tag: [tags.labelName, tags.typeName, tags.keyword], color: "#1d5e20" },
  { tag: [tags.meta, tags.attributeValue], color: "#4a4a4a" },
  { tag: tags.invalid, color: "#a00020" },
]);

const theme = EditorView.theme(
  {
    // As tall as its parent when the page gives the parent a height (then it scrolls), else as its text.
    "&": { height: "100%", color: INK, backgroundColor: "#ffffff", fontSize: "16px", border: "1px solid #6b6b6b" },
    "&.cm-focused": { outline: "3px solid #1a5fb4", outlineOffset: "1px" },
    ".cm-scroller": {
      fontFamily: "ui-monospace, 'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace",
      lineHeight: "1.55",
    },
    ".cm-content": { caretColor: INK, padding: "6px 0" },
    ".cm-cursor, .cm-dropCursor": { borderLeftColor: INK, borderLeftWidth: "2px" },
    ".cm-gutters": { backgroundColor: "#f3f3f3", color: "#4d4d4d", borderRight: "1px solid #c8c8c8" },
    ".cm-activeLine": { backgroundColor: "#eef4fc" },
    ".cm-activeLineGutter": { backgroundColor: "#dde8f7", color: INK },
    "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, ::selection": {
      backgroundColor: "#b9d3f3",
    },
    ".cm-selectionBackground": { backgroundColor: "#d4e2f4" },
    ".cm-matchingBracket": { backgroundColor: "#c9e7c9", outline: "1px solid #2e7d32" },
    ".cm-nonmatchingBracket": { backgroundColor: "#f6d0d0", outline: "1px solid #a00020" },
    ".cm-searchMatch": { backgroundColor: "#fff0a0", outline: "1px solid #8a6d00" },
    ".cm-tooltip": {
      backgroundColor: "#ffffff",
      color: INK,
      border: "1px solid #6b6b6b",
      borderRadius: "4px",
      fontSize: "15px",
      maxWidth: "36em",
    },
    ".cm-tooltip-hover, .cm-tooltip-lint": { padding: "2px 0" },
    ".cm6-json-schema-hover": { padding: "4px 8px", lineHeight: "1.45" },
    ".cm6-json-schema-hover--type": { color: "#4a4a4a", fontSize: "14px", marginTop: "2px" },
    ".cm-tooltip.cm-tooltip-autocomplete > ul": { fontFamily: "inherit", maxHeight: "14em" },
    ".cm-tooltip.cm-tooltip-autocomplete > ul > li": { padding: "2px 8px", lineHeight: "1.5" },
    ".cm-tooltip-autocomplete ul li[aria-selected]": { backgroundColor: "#1a5fb4", color: "#ffffff" },
    ".cm-completionDetail": { color: "inherit", opacity: "1", fontStyle: "italic", marginLeft: "1em" },
    ".cm-completionInfo": { padding: "4px 8px", lineHeight: "1.45" },
    ".cm-diagnostic": { padding: "4px 8px", lineHeight: "1.45" },
    ".cm-diagnostic-error": { borderLeft: "5px solid #b00020" },
    ".cm-diagnostic-warning": { borderLeft: "5px solid #8a5a00" },
    ".cm-diagnostic-info": { borderLeft: "5px solid #1a5fb4" },
    ".cm-panels": { backgroundColor: "#f3f3f3", color: INK, fontSize: "15px" },
    ".cm-panel input, .cm-panel button, .cm-panel label": { fontSize: "15px" },
    ".cm-textfield": { border: "1px solid #6b6b6b" },
    ".cm-button": { backgroundImage: "none", backgroundColor: "#ffffff", border: "1px solid #6b6b6b", color: INK },
  },
  { dark: false },
);

// Hover text for a key: the schema's description, then its title or type, as plain text.
function hoverTexts({ schema }) {
  const typeInfo = schema.title || (Array.isArray(schema.type) ? schema.type.join(" or ") : schema.type) || "";
  return { message: schema.description || null, typeInfo };
}

function hoverDom({ message, typeInfo }) {
  const box = document.createElement("div");
  box.className = "cm6-json-schema-hover";
  if (message) {
    const text = document.createElement("div");
    text.className = "cm6-json-schema-hover--description";
    text.textContent = message;
    box.appendChild(text);
  }
  if (typeInfo) {
    const type = document.createElement("div");
    type.className = "cm6-json-schema-hover--type";
    type.textContent = typeInfo;
    box.appendChild(type);
  }
  return box;
}

// codemirror-json-schema completes a key with a value guessed for JSON: `activity: null`,
// `sections: [ ]`. Teachers write block YAML, so a key is completed as `key: `, a list as
// `key:` then `- ` on the next line, indented, and an object as `key:` then an indented line.
//
// On an empty line, Ctrl-Space offers the keys that fit there: the library only completes a key
// already begun, so it is asked about the same text with an empty quoted key at the cursor (with
// its colon, as a list item's first key needs; without, as the next key of a list item needs).
function blockStyleKeys(source) {
  return async (context) => {
    let result = await source(context);
    const before = context.state.sliceDoc(context.state.doc.lineAt(context.pos).from, context.pos);
    if (context.explicit && /^\s*(- )?$/.test(before) && !result?.options?.length) {
      for (const insert of ['"":', '""']) {
        const probe = context.state.update({ changes: { from: context.pos, insert } }).state;
        const found = await source(new CompletionContext(probe, context.pos + 1, true));
        if (found?.options?.length) {
          result = { ...found, from: context.pos, to: context.pos };
          break;
        }
      }
    }
    if (!result || !result.options) return result;
    const after = context.state.doc.lineAt(result.to ?? context.pos);
    const hasValue = /^\s*:/.test(context.state.sliceDoc(result.to ?? context.pos, after.to));
    const options = result.options.map((option) => {
      if (option.type !== "property") return option;
      const key = option.label;
      let template = `${key}: #{}`;
      if (hasValue) template = key;
      else if (option.detail === "array") template = `${key}:\n\t- #{}`;
      else if (option.detail === "object") template = `${key}:\n\t#{}`;
      return snippetCompletion(template, { label: key, type: "property", detail: option.detail, info: option.info });
    });
    return { ...result, options };
  };
}

function schemaSupport(schema) {
  if (!schema) return [];
  return [
    stateExtensions(schema),
    yamlLanguage.data.of({ autocomplete: blockStyleKeys(yamlCompletion()) }),
    hoverTooltip(yamlSchemaHover({ getHoverTexts: hoverTexts, formatHover: hoverDom })),
  ];
}

const SEVERITIES = new Set(["error", "warning", "info"]);
const fromApi = Annotation.define(); // marks setText's changes, which onChange does not report

function diagnostic(doc, problem) {
  const number = Math.min(Math.max(1, Math.trunc(Number(problem.line)) || 1), doc.lines);
  const line = doc.line(number);
  const column = Math.trunc(Number(problem.column)) || 1;
  const from = Math.min(line.from + Math.max(0, column - 1), line.to);
  return {
    from,
    to: line.to > from ? line.to : from,
    severity: SEVERITIES.has(problem.severity) ? problem.severity : "error",
    message: String(problem.message ?? ""),
  };
}

export function create(parent, options = {}) {
  const { doc = "", schema = null, label = "", onChange = null } = options;
  if (!(parent instanceof Element)) throw new TypeError("LessonkitEditor.create: parent must be an element");

  const extensions = [
    lineNumbers(),
    foldGutter(),
    lintGutter(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    dropCursor(),
    EditorState.allowMultipleSelections.of(true),
    indentOnInput(),
    syntaxHighlighting(highlightStyle),
    bracketMatching(),
    autocompletion({ icons: false }),
    highlightActiveLine(),
    highlightSelectionMatches(),
    EditorView.lineWrapping,
    keymap.of([
      ...defaultKeymap,
      ...searchKeymap,
      ...historyKeymap,
      ...foldKeymap,
      ...completionKeymap,
      ...lintKeymap,
      indentWithTab,
    ]),
    yaml(),
    schemaSupport(schema),
    theme,
    // The text is in the Tab order already (it is editable); saying so lets checkers such as axe-core see
    // that the scrolling area around it can be reached with the keyboard.
    EditorView.contentAttributes.of({ "aria-label": label || "YAML source", tabindex: "0" }),
    EditorView.updateListener.of((update) => {
      if (!onChange || !update.docChanged) return;
      if (update.transactions.every((tr) => tr.annotation(fromApi))) return;
      onChange(update.state.doc.toString());
    }),
  ];

  const view = new EditorView({ parent, state: EditorState.create({ doc, extensions }) });

  return {
    view,
    getText() {
      return view.state.doc.toString();
    },
    setText(text) {
      const insert = String(text ?? "");
      const changes = insert === view.state.doc.toString() ? [] : { from: 0, to: view.state.doc.length, insert };
      view.dispatch({ changes, annotations: [fromApi.of(true), isolateHistory.of("full")] });
      view.dispatch(setDiagnostics(view.state, []));
    },
    setProblems(problems) {
      const list = Array.isArray(problems) ? problems : [];
      view.dispatch(setDiagnostics(view.state, list.map((p) => diagnostic(view.state.doc, p))));
    },
    goTo(line, column) {
      const doc = view.state.doc;
      const target = doc.line(Math.min(Math.max(1, Math.trunc(Number(line)) || 1), doc.lines));
      const indent = /^\s*/.exec(target.text)[0].length;
      const offset = column ? Math.max(0, Math.trunc(Number(column)) - 1) : indent;
      const pos = Math.min(target.from + offset, target.to);
      view.dispatch({
        selection: { anchor: pos },
        effects: EditorView.scrollIntoView(pos, { y: "center" }),
      });
      view.focus();
    },
    focus() {
      view.focus();
    },
    destroy() {
      view.destroy();
    },
  };
}
