// Bundles web-src/editor.js into one minified, self-contained script (an IIFE defining the
// global LessonkitEditor) and writes the licences of everything bundled beside it.
//
//   node web-src/build.mjs [--outdir DIR]      (default: lessonkit/web/static)
//
// The output depends only on this folder and on node_modules as package-lock.json pins it:
// tests/test_editor_bundle.py rebuilds it and compares the bytes with the committed files.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const outdir = resolve(args[0] === "--outdir" && args[1] ? args[1] : join(root, "lessonkit", "web", "static"));

// codemirror-json-schema renders descriptions with markdown-it and Shiki (themes, a grammar and a
// WebAssembly engine, loaded at start-up); plain-text.js shows them as text instead.
const plainText = {
  name: "plain-text-descriptions",
  setup(build) {
    build.onResolve({ filter: /\/utils\/markdown(\.js)?$/ }, (found) =>
      found.importer.includes(`${join("node_modules", "codemirror-json-schema")}`)
        ? { path: join(root, "web-src", "plain-text.js") }
        : undefined,
    );
  },
};

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: [join(root, "web-src", "editor.js")],
  bundle: true,
  format: "iife",
  globalName: "LessonkitEditor",
  platform: "browser",
  target: ["es2020"],
  minify: true,
  sourcemap: false,
  legalComments: "none",
  charset: "ascii",
  banner: { js: "/* lessonkit editor: CodeMirror 6 and codemirror-json-schema, see editor.licenses.txt */" },
  define: { "process.env.NODE_ENV": '"production"' },
  plugins: [plainText],
  metafile: true,
  write: false,
  logLevel: "warning",
});

// The licence of each package bundled, in name order.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (!match) continue;
  const folder = join(root, input.slice(0, match.index + match[0].length));
  packages.set(match[1], folder);
}
const notices = [...packages.keys()].sort().map((name) => {
  const folder = packages.get(name);
  const meta = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
  const licence = meta.license ?? meta.licenses?.map((l) => l.type).join(" OR ") ?? "see its package";
  const file = readdirSync(folder).sort().find((f) => /^licen[cs]e/i.test(f));
  const text = file ? readFileSync(join(folder, file), "utf8").trim() : `(The package ships no licence file; its package.json says ${licence}.)`;
  return `${name} ${meta.version} (${licence})\n\n${text}\n`;
});

mkdirSync(outdir, { recursive: true });
const [bundle] = result.outputFiles;
writeFileSync(join(outdir, "editor.js"), bundle.contents);
writeFileSync(
  join(outdir, "editor.licenses.txt"),
  `The packages bundled in editor.js, built from web-src/ (lessonkit's own code is under lessonkit's licence).\n\n${notices.join(`\n${"-".repeat(72)}\n\n`)}`,
);
console.log(`${relative(root, join(outdir, "editor.js"))}: ${bundle.contents.length} bytes, ${packages.size} packages`);
