// The entry of Camplog's CodeMirror bundle (`make vendor`): the pieces static/js/markdown-editor.js
// uses, as one global (window.CamplogCM). Only a few code languages are bundled, to keep the file
// small; Markdown itself, HTML, CSS and JavaScript come with @codemirror/lang-markdown anyway.
export { EditorState, EditorSelection, Prec } from "@codemirror/state";
export { EditorView, ViewPlugin, Decoration, keymap, drawSelection, highlightSpecialChars, dropCursor } from "@codemirror/view";
export { defaultKeymap, history, historyKeymap, indentMore, indentLess } from "@codemirror/commands";
export { HighlightStyle, indentUnit, syntaxHighlighting, syntaxTree } from "@codemirror/language";
export { markdown, markdownLanguage } from "@codemirror/lang-markdown";
export { Tag, tags } from "@lezer/highlight";

import { LanguageDescription, LanguageSupport, StreamLanguage } from "@codemirror/language";
import { javascript } from "@codemirror/lang-javascript";
import { python } from "@codemirror/legacy-modes/mode/python";
import { json } from "@codemirror/lang-json";
import { css } from "@codemirror/lang-css";
import { html } from "@codemirror/lang-html";
import { c, cpp, java } from "@codemirror/legacy-modes/mode/clike";
import { shell } from "@codemirror/legacy-modes/mode/shell";
import { yaml } from "@codemirror/legacy-modes/mode/yaml";

function of(name, alias, support) {
  return LanguageDescription.of({ name, alias, support });
}

const legacy = (mode) => new LanguageSupport(StreamLanguage.define(mode));

// legacy-modes' sql.js defines every dialect at load (36 KB); this is enough to colour a query.
const SQL_KEYWORDS = new Set(
  ("select from where and or not in is null as join left right inner outer full cross on group by order " +
    "having limit offset insert into values update set delete create table view index drop alter add " +
    "primary key foreign references unique default distinct union all exists between like case when then " +
    "else end asc desc with recursive returning begin commit rollback count sum avg min max over partition").split(" ")
);
const sql = {
  name: "sql",
  token(stream) {
    if (stream.eatSpace()) return null;
    if (stream.match("--")) {
      stream.skipToEnd();
      return "comment";
    }
    const quote = stream.peek();
    if (quote === "'" || quote === '"') {
      stream.next();
      while (!stream.eol()) if (stream.next() === quote && !stream.eat(quote)) break;
      return "string";
    }
    if (stream.match(/^\d+(\.\d+)?/)) return "number";
    if (stream.match(/^\w+/)) return SQL_KEYWORDS.has(stream.current().toLowerCase()) ? "keyword" : "variableName";
    stream.next();
    return "operator";
  },
};

// The languages fenced code is highlighted in, by the fence's first word.
export const codeLanguages = [
  of("python", ["py", "python3", "ipython"], legacy(python)),
  of("javascript", ["js", "jsx", "mjs", "node"], javascript({ jsx: true })),
  of("typescript", ["ts", "tsx"], javascript({ typescript: true, jsx: true })),
  of("json", ["jsonc"], json()),
  of("css", ["scss"], css()),
  of("html", ["xml", "svg", "htm"], html()),
  of("c", ["h"], legacy(c)),
  of("cpp", ["c++", "cc", "cxx", "hpp"], legacy(cpp)),
  of("java", ["kotlin"], legacy(java)),
  of("bash", ["sh", "shell", "zsh", "console"], legacy(shell)),
  of("sql", ["mysql", "postgresql", "sqlite"], legacy(sql)),
  of("yaml", ["yml"], legacy(yaml)),
];
