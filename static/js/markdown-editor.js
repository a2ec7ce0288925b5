/*
 * Camplog's Markdown editor: CodeMirror 6 (static/vendor/codemirror-*, window.CamplogCM) over every
 * `.markdownx textarea` (the entry body, a session's summary). Loaded with defer, before editor.js.
 *
 * The textarea stays in the form and is what the form posts: the editor mirrors its text into it
 * and fires "input" on it once an IME composition has ended (never in the middle of one), so
 * autosave and the preview never see half a syllable. Text set on the textarea from outside
 * (restoring a copy) is taken into the editor on its "input" event. Without JavaScript, or without
 * the bundle, the textarea is the editor.
 *
 * Beside the text: a toolbar, list and task continuation on Enter, Tab/Shift+Tab to nest list items
 * (Esc then Tab leaves the editor), images pasted or dropped (downscaled in the browser, uploaded
 * with a progress line each), and the preview: rendered by the server ~100 ms after a pause, in
 * split / editor-only / preview-only views (and full screen), scrolled with the editor by source line.
 */
(function () {
  "use strict";

  var CM = window.CamplogCM;
  if (!CM) return;

  var MODE_KEY = "camplog:editor-mode";
  var KEEP_KEY = "camplog:keep-original-images";
  var MAX_SIDE = 2400; // longest side of an image after downscaling
  var SMALL_IMAGE = 1024 * 1024; // under this and under MAX_SIDE, an image goes as it is

  function stored(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }

  function store(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch (e) {
      /* private mode: the choice lasts for this page */
    }
  }

  // --- Markdown with math ----------------------------------------------------------------------

  var mathTag = CM.Tag.define();
  var mathMarkTag = CM.Tag.define();
  var DOLLAR = 36;
  var BACKSLASH = 92;

  // `$…$` and `$$…$$` inside a paragraph, and `$$` blocks over several lines (blank lines too, as
  // the pipeline reads them).
  var mathSyntax = {
    defineNodes: [
      { name: "InlineMath", style: mathTag },
      { name: "BlockMath", block: true, style: mathTag },
      { name: "MathMark", style: mathMarkTag },
    ],
    parseInline: [
      {
        name: "InlineMath",
        before: "Escape",
        parse: function (cx, next, pos) {
          if (next !== DOLLAR) return -1;
          var display = cx.char(pos + 1) === DOLLAR;
          var open = display ? 2 : 1;
          if (!display && /[\s\d]/.test(String.fromCharCode(cx.char(pos + 1)))) return -1;
          for (var i = pos + open; i < cx.end; i++) {
            var c = cx.char(i);
            if (c === BACKSLASH) {
              i++;
            } else if (c === DOLLAR) {
              if (display && cx.char(i + 1) !== DOLLAR) continue;
              if (!display && (i === pos + 1 || /\s/.test(String.fromCharCode(cx.char(i - 1))))) return -1;
              var end = i + open;
              return cx.addElement(
                cx.elt("InlineMath", pos, end, [cx.elt("MathMark", pos, pos + open), cx.elt("MathMark", i, end)])
              );
            }
          }
          return -1;
        },
      },
    ],
    parseBlock: [
      {
        name: "BlockMath",
        before: "FencedCode",
        parse: function (cx, line) {
          if (!/^ {0,3}\$\$/.test(line.text)) return false;
          var rest = line.text.slice(line.text.indexOf("$$") + 2);
          if (rest.indexOf("$$") >= 0) return false; // `$$x$$` on one line: inline math
          var start = cx.lineStart;
          while (cx.nextLine()) {
            if (line.text.indexOf("$$") >= 0) {
              cx.nextLine();
              break;
            }
          }
          cx.addElement(cx.elt("BlockMath", start, cx.prevLineEnd()));
          return true;
        },
      },
    ],
  };

  var t = CM.tags;
  var highlight = CM.HighlightStyle.define([
    { tag: t.heading, class: "cm-md-heading" },
    { tag: t.strong, class: "cm-md-strong" },
    { tag: t.emphasis, class: "cm-md-em" },
    { tag: t.strikethrough, class: "cm-md-strike" },
    { tag: [t.link, t.url], class: "cm-md-link" },
    { tag: t.monospace, class: "cm-md-code" },
    { tag: [t.processingInstruction, t.contentSeparator], class: "cm-md-mark" },
    { tag: t.quote, class: "cm-md-quote" },
    { tag: t.list, class: "cm-md-list" },
    { tag: mathTag, class: "cm-md-math" },
    { tag: mathMarkTag, class: "cm-md-mark" },
    { tag: [t.keyword, t.modifier, t.controlKeyword, t.operatorKeyword], class: "cm-tok-keyword" },
    { tag: [t.string, t.special(t.string), t.regexp, t.attributeValue], class: "cm-tok-string" },
    { tag: [t.comment, t.lineComment, t.blockComment], class: "cm-tok-comment" },
    { tag: [t.number, t.bool, t.atom, t.null], class: "cm-tok-number" },
    { tag: [t.function(t.variableName), t.function(t.propertyName)], class: "cm-tok-function" },
    { tag: [t.typeName, t.className, t.namespace], class: "cm-tok-type" },
    { tag: [t.tagName, t.angleBracket], class: "cm-tok-tag" },
    { tag: [t.attributeName, t.propertyName], class: "cm-tok-attribute" },
    { tag: t.operator, class: "cm-tok-operator" },
    { tag: t.meta, class: "cm-tok-meta" },
  ]);

  // Code and math blocks are set line by line in their own font (monospace, the math font).
  function BlockLines(view) {
    this.decorations = blockDecorations(view);
  }
  BlockLines.prototype.update = function (update) {
    if (update.docChanged || update.viewportChanged || CM.syntaxTree(update.startState) !== CM.syntaxTree(update.state)) {
      this.decorations = blockDecorations(update.view);
    }
  };
  var blockLines = CM.ViewPlugin.fromClass(BlockLines, {
    decorations: function (plugin) {
      return plugin.decorations;
    },
  });

  var CODE_LINE = CM.Decoration.line({ class: "cm-md-codeblock" });
  var MATH_LINE = CM.Decoration.line({ class: "cm-md-mathblock" });

  function blockDecorations(view) {
    var marks = [];
    var doc = view.state.doc;
    view.visibleRanges.forEach(function (range) {
      CM.syntaxTree(view.state).iterate({
        from: range.from,
        to: range.to,
        enter: function (node) {
          var kind = node.name === "FencedCode" || node.name === "CodeBlock" ? CODE_LINE : node.name === "BlockMath" ? MATH_LINE : null;
          if (!kind) return;
          var first = doc.lineAt(Math.max(node.from, range.from)).number;
          var last = doc.lineAt(Math.min(node.to, range.to)).number;
          for (var n = first; n <= last; n++) marks.push(kind.range(doc.line(n).from));
          return false;
        },
      });
    });
    return CM.Decoration.set(marks, true);
  }

  // --- Commands ----------------------------------------------------------------------------------

  // Wrap each selection in `before`/`after`, or unwrap it when it already is.
  function wrap(view, before, after) {
    var state = view.state;
    var tr = state.changeByRange(function (range) {
      var text = state.sliceDoc(range.from, range.to);
      var outside = state.sliceDoc(range.from - before.length, range.to + after.length);
      if (outside === before + text + after && range.from >= before.length) {
        return {
          changes: [
            { from: range.from - before.length, to: range.from },
            { from: range.to, to: range.to + after.length },
          ],
          range: CM.EditorSelection.range(range.from - before.length, range.to - before.length),
        };
      }
      return {
        changes: [
          { from: range.from, insert: before },
          { from: range.to, insert: after },
        ],
        range: CM.EditorSelection.range(range.from + before.length, range.to + before.length),
      };
    });
    view.dispatch(state.update(tr, { scrollIntoView: true, userEvent: "input.format" }));
    return true;
  }

  // Give every selected line `prefix`, or take it away when all of them have it.
  function prefixLines(view, prefix, pattern) {
    var state = view.state;
    var lines = [];
    state.selection.ranges.forEach(function (range) {
      for (var n = state.doc.lineAt(range.from).number; n <= state.doc.lineAt(range.to).number; n++) {
        var line = state.doc.line(n);
        if (lines.indexOf(line.from) < 0) lines.push(line);
      }
    });
    var all = lines.every(function (line) {
      return pattern.test(line.text);
    });
    var changes = lines.map(function (line) {
      if (all) return { from: line.from, to: line.from + line.text.match(pattern)[0].length };
      var indent = line.text.match(/^\s*/)[0].length;
      return { from: line.from + indent, insert: prefix };
    });
    view.dispatch({ changes: changes, scrollIntoView: true, userEvent: "input.format" });
    return true;
  }

  function link(view) {
    var state = view.state;
    var tr = state.changeByRange(function (range) {
      var text = state.sliceDoc(range.from, range.to);
      if (/^https?:\/\/\S+$/.test(text)) {
        return {
          changes: { from: range.from, to: range.to, insert: "[](" + text + ")" },
          range: CM.EditorSelection.cursor(range.from + 1),
        };
      }
      var insert = "[" + text + "]()";
      var cursor = text ? range.from + insert.length - 1 : range.from + 1;
      return { changes: { from: range.from, to: range.to, insert: insert }, range: CM.EditorSelection.cursor(cursor) };
    });
    view.dispatch(state.update(tr, { scrollIntoView: true, userEvent: "input.format" }));
    return true;
  }

  // Insert `block` on lines of its own at the cursor, and select its characters `from`-`to`.
  function insertBlock(view, block, from, to) {
    var state = view.state;
    var range = state.selection.main;
    var line = state.doc.lineAt(range.from);
    var previousBlank = line.number === 1 || !state.doc.line(line.number - 1).text.trim();
    var before = range.from !== line.from ? "\n\n" : previousBlank ? "" : "\n";
    var after = range.to === state.doc.lineAt(range.to).to ? "\n" : "\n\n";
    var at = range.from + before.length;
    view.dispatch({
      changes: { from: range.from, to: range.to, insert: before + block + after },
      selection: CM.EditorSelection.range(at + from, at + to),
      scrollIntoView: true,
      userEvent: "input.format",
    });
    return true;
  }

  function blankLine(view) {
    var range = view.state.selection.main;
    return range.empty && !view.state.doc.lineAt(range.from).text.trim();
  }

  function math(view) {
    var range = view.state.selection.main;
    if (view.state.sliceDoc(range.from, range.to).indexOf("\n") >= 0) return wrap(view, "$$\n", "\n$$");
    if (blankLine(view)) return insertBlock(view, "$$\n\n$$", 3, 3);
    return wrap(view, "$", "$");
  }

  function code(view) {
    var range = view.state.selection.main;
    if (view.state.sliceDoc(range.from, range.to).indexOf("\n") >= 0) return wrap(view, "```\n", "\n```");
    if (blankLine(view)) return insertBlock(view, "```python\n\n```", 3, 9);
    return wrap(view, "`", "`");
  }

  var LIST_ITEM = /^(\s*)([-+*]|\d{1,9}[.)])(\s+)/;

  // Tab on list items nests them under the item above (by its content's column, as CommonMark
  // reads nesting); Shift+Tab takes them back to their parent's column. Elsewhere: indentation.
  function nest(view, deeper) {
    var state = view.state;
    var changes = [];
    var lines = [];
    state.selection.ranges.forEach(function (range) {
      for (var n = state.doc.lineAt(range.from).number; n <= state.doc.lineAt(range.to).number; n++) lines.push(n);
    });
    for (var i = 0; i < lines.length; i++) {
      var line = state.doc.line(lines[i]);
      var item = LIST_ITEM.exec(line.text);
      if (!item) return deeper ? CM.indentMore(view) : CM.indentLess(view);
      var indent = item[1].length;
      var target = null;
      for (var n = line.number - 1; n >= 1 && target === null; n--) {
        var above = LIST_ITEM.exec(state.doc.line(n).text);
        if (!above) {
          if (!state.doc.line(n).text.trim() || /^\s/.test(state.doc.line(n).text)) continue;
          break;
        }
        var aboveIndent = above[1].length;
        if (deeper && aboveIndent <= indent) target = aboveIndent + above[2].length + Math.min(above[3].length, 4);
        if (!deeper && aboveIndent < indent) target = aboveIndent;
      }
      if (target === null) target = deeper ? indent : 0;
      if (deeper && target > indent) {
        changes.push({ from: line.from, insert: " ".repeat(target - indent) });
        // A nested ordered list starts at 1: only "1." may interrupt the item's paragraph.
        if (/^\d/.test(item[2])) changes.push({ from: line.from + indent, to: line.from + indent + item[2].length - 1, insert: "1" });
      }
      if (!deeper && target < indent) changes.push({ from: line.from + target, to: line.from + indent });
    }
    if (changes.length) view.dispatch({ changes: changes, userEvent: deeper ? "input.indent" : "delete.dedent" });
    return true;
  }

  // Enter on an empty top-level item ends the list with a blank line, so that the next line is a
  // paragraph of its own rather than the last item's continuation.
  function endList(view) {
    var state = view.state;
    var range = state.selection.main;
    if (!range.empty) return false;
    var line = state.doc.lineAt(range.from);
    if (range.from !== line.to || !/^([-+*]|\d{1,9}[.)])( \[[ xX]\])?\s*$/.test(line.text)) return false;
    view.dispatch({
      changes: { from: line.from, to: line.to, insert: "\n" },
      selection: CM.EditorSelection.cursor(line.from + 1),
      scrollIntoView: true,
      userEvent: "input",
    });
    return true;
  }

  // --- Images ------------------------------------------------------------------------------------

  function toBlob(canvas, type, quality) {
    return new Promise(function (resolve) {
      canvas.toBlob(resolve, type, quality);
    });
  }

  function renamed(name, type) {
    var extension = type === "image/png" ? ".png" : type === "image/webp" ? ".webp" : ".jpg";
    return (name || "image").replace(/\.[^.]*$/, "") + extension;
  }

  // A large image made smaller: at most MAX_SIDE pixels on its longest side; PNG (screenshots)
  // stays PNG so that text stays sharp, photos become WebP (JPEG where WebP cannot be written).
  function downscale(file, keepOriginal, limit) {
    if (!/^image\/(png|jpeg|webp)$/.test(file.type) || !window.createImageBitmap) return Promise.resolve(file);
    if (keepOriginal && file.size <= limit) return Promise.resolve(file);
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.size <= SMALL_IMAGE) return file;
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      var context = canvas.getContext("2d");
      context.imageSmoothingQuality = "high";
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      var first = file.type === "image/png" ? toBlob(canvas, "image/png") : Promise.resolve(null);
      return first
        .then(function (blob) {
          if (blob && blob.size <= limit) return blob;
          return toBlob(canvas, "image/webp", 0.9).then(function (webp) {
            return webp && webp.type === "image/webp" ? webp : toBlob(canvas, "image/jpeg", 0.9);
          });
        })
        .then(function (blob) {
          if (!blob || (blob.size >= file.size && scale === 1)) return file;
          return new File([blob], renamed(file.name, blob.type), { type: blob.type });
        });
    });
  }

  function uploadFile(url, token, file, onProgress) {
    return new Promise(function (resolve) {
      var request = new XMLHttpRequest();
      var data = new FormData();
      data.append("image", file, file.name);
      request.open("POST", url);
      request.setRequestHeader("X-CSRFToken", token);
      request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      });
      request.addEventListener("load", function () {
        var json = {};
        try {
          json = JSON.parse(request.responseText);
        } catch (e) {
          json = {};
        }
        resolve({ ok: request.status >= 200 && request.status < 300, json: json });
      });
      request.addEventListener("error", function () {
        resolve({ ok: false, json: {} });
      });
      request.send(data);
    });
  }

  function isEmpty(range) {
    return range.empty;
  }

  // --- One editor --------------------------------------------------------------------------------

  var counter = 0;

  function setUp(textarea) {
    var container = textarea.closest(".markdownx");
    var previewPane = container.querySelector(".markdownx-preview");
    var form = textarea.form;
    var tokenInput = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    var token = tokenInput ? tokenInput.value : "";
    var previewUrl = textarea.getAttribute("data-markdownx-urls-path") || "/markdownx/markdownify/";
    var uploadUrl = textarea.getAttribute("data-markdownx-upload-urls-path") || "/markdownx/upload/";
    var limit = Number(textarea.getAttribute("data-upload-limit") || 5 * 1024 * 1024);
    var chrome = container.querySelector("template.editor-chrome");
    var texts = container.dataset;
    var id = ++counter;

    var toolbar = chrome ? chrome.content.firstElementChild.cloneNode(true) : document.createElement("div");
    var uploads = document.createElement("ul");
    uploads.className = "editor-uploads";
    uploads.setAttribute("aria-live", "polite");
    // The entry form has an "Add image" button of its own (#image-input); other forms get one.
    var picker = form && form.querySelector("#image-input");
    if (!picker) {
      picker = document.createElement("input");
      picker.type = "file";
      picker.accept = "image/png,image/jpeg,image/gif,image/webp";
      picker.className = "visually-hidden";
      picker.tabIndex = -1;
      picker.multiple = true;
      container.appendChild(picker);
    }
    var keep = toolbar.querySelector("input.editor-keep-original");
    if (keep) keep.checked = stored(KEEP_KEY) === "1";

    var composing = false;
    var previewTimer = null;
    var inFlight = null;
    var sequence = 0;
    var shown = 0; // the sequence number of the preview on screen

    function text() {
      return view.state.doc.toString();
    }

    // The textarea follows the editor; "input" on it tells autosave (never mid-composition).
    function sync() {
      if (view.composing || composing) return;
      var value = text();
      if (textarea.value === value) return;
      textarea.value = value;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      schedulePreview();
    }

    function schedulePreview() {
      clearTimeout(previewTimer);
      if (mode === "editor") return;
      previewTimer = setTimeout(renderPreview, 100);
    }

    function renderPreview() {
      if (view.composing || composing) return;
      if (inFlight) inFlight.abort();
      var controller = window.AbortController ? new AbortController() : null;
      inFlight = controller;
      var number = ++sequence;
      var data = new FormData();
      data.append("content", text());
      fetch(previewUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token, "X-Requested-With": "XMLHttpRequest" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.text() : Promise.reject(response.status);
        })
        .then(function (html) {
          if (number < shown) return; // an older answer arriving late
          shown = number;
          previewPane.innerHTML = html;
          previewPane.dataset.rendered = String(number);
          if (mode === "split") syncPreviewScroll();
        })
        .catch(function () {
          /* aborted, or offline: the next pause tries again */
        });
    }

    // --- Scroll sync: the block of the preview at the top follows the line at the editor's top.
    var lockUntil = { editor: 0, preview: 0 };

    function anchors() {
      var nodes = previewPane.querySelectorAll("[data-source-line]");
      var list = [];
      var last = 0;
      for (var i = 0; i < nodes.length; i++) {
        var line = Number(nodes[i].getAttribute("data-source-line"));
        if (line > last) {
          list.push({ line: line, top: nodes[i].offsetTop });
          last = line;
        }
      }
      return list;
    }

    function between(list, key, value, other) {
      var before = null;
      var after = null;
      for (var i = 0; i < list.length; i++) {
        if (list[i][key] <= value) before = list[i];
        else {
          after = list[i];
          break;
        }
      }
      if (!before) return after ? after[other] * (value / Math.max(after[key], 1)) : 0;
      if (!after) return before[other] + (value - before[key]);
      var share = (value - before[key]) / Math.max(after[key] - before[key], 1);
      return before[other] + share * (after[other] - before[other]);
    }

    function editorAnchors() {
      return anchors().map(function (anchor) {
        var line = Math.min(anchor.line, view.state.doc.lines);
        return { line: anchor.line, top: anchor.top, editorTop: view.lineBlockAt(view.state.doc.line(line).from).top };
      });
    }

    function syncPreviewScroll() {
      if (performance.now() < lockUntil.editor) return;
      var scroller = view.scrollDOM;
      var list = editorAnchors();
      if (!list.length) return;
      var top;
      if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2) top = previewPane.scrollHeight;
      else top = between(list, "editorTop", scroller.scrollTop, "top");
      lockUntil.preview = performance.now() + 120;
      previewPane.scrollTop = top;
    }

    function syncEditorScroll() {
      if (performance.now() < lockUntil.preview) return;
      var list = editorAnchors();
      if (!list.length) return;
      var top;
      if (previewPane.scrollTop + previewPane.clientHeight >= previewPane.scrollHeight - 2) top = view.scrollDOM.scrollHeight;
      else top = between(list, "top", previewPane.scrollTop, "editorTop");
      lockUntil.editor = performance.now() + 120;
      view.scrollDOM.scrollTop = top;
    }

    // --- Images
    // An image goes in a paragraph of its own: blank lines around it, so that two images never
    // share a line on the page.
    function insertOwnLine(marker) {
      var state = view.state;
      var range = state.selection.main;
      var line = state.doc.lineAt(range.from);
      var previousBlank = line.number === 1 || !state.doc.line(line.number - 1).text.trim();
      var before = range.from !== line.from ? "\n\n" : previousBlank ? "" : "\n";
      var rest = state.sliceDoc(range.to, state.doc.lineAt(range.to).to);
      var after = !rest && range.to < state.doc.length ? "\n" : "\n\n";
      var insert = before + marker + after;
      view.dispatch({
        changes: { from: range.from, to: range.to, insert: insert },
        selection: CM.EditorSelection.cursor(range.from + insert.length),
        scrollIntoView: true,
        userEvent: "input.paste",
      });
    }

    function replaceMarker(marker, replacement) {
      var at = text().indexOf(marker);
      if (at < 0) return;
      var to = at + marker.length;
      if (!replacement && view.state.sliceDoc(to, to + 1) === "\n") to += 1;
      view.dispatch({ changes: { from: at, to: to, insert: replacement }, userEvent: "input.paste" });
    }

    function upload(file) {
      var marker = "![" + (texts.textUploading || "Uploading") + " " + file.name.replace(/[\[\]()]/g, "") + "](#upload-" + id + "-" + ++counter + ")";
      insertOwnLine(marker);
      var item = document.createElement("li");
      var label = document.createElement("span");
      label.textContent = file.name;
      var progress = document.createElement("progress");
      progress.max = 1;
      var note = document.createElement("span");
      note.className = "editor-upload-note";
      item.append(label, progress, note);
      uploads.appendChild(item);
      return downscale(file, keep && keep.checked, limit)
        .catch(function () {
          return file;
        })
        .then(function (ready) {
          return uploadFile(uploadUrl, token, ready, function (share) {
            progress.value = share;
          });
        })
        .then(function (result) {
          if (result.ok && result.json.image_code) {
            replaceMarker(marker, result.json.image_code);
            progress.value = 1;
            note.textContent = texts.textUploaded || "";
            setTimeout(function () {
              item.remove();
            }, 4000);
          } else {
            replaceMarker(marker, "");
            progress.remove();
            item.classList.add("is-error");
            note.textContent = result.json.error || texts.textUploadFailed || "Upload failed.";
          }
        });
    }

    function imagesOf(list) {
      return Array.prototype.filter.call(list || [], function (file) {
        return file && /^image\//.test(file.type);
      });
    }

    function handleFiles(event, list) {
      var images = imagesOf(list);
      if (!images.length) return false;
      event.preventDefault();
      images.reduce(function (chain, file) {
        return chain.then(function () {
          return upload(file);
        });
      }, Promise.resolve());
      return true;
    }

    picker.addEventListener("change", function () {
      var images = imagesOf(picker.files);
      picker.value = "";
      images.reduce(function (chain, file) {
        return chain.then(function () {
          return upload(file);
        });
      }, Promise.resolve());
      view.focus();
    });

    var commands = {
      bold: function (v) {
        return wrap(v, "**", "**");
      },
      italic: function (v) {
        return wrap(v, "*", "*");
      },
      link: link,
      code: code,
      heading: function (v) {
        return prefixLines(v, "## ", /^\s*#{1,6} /);
      },
      quote: function (v) {
        return prefixLines(v, "> ", /^\s*> ?/);
      },
      task: function (v) {
        return prefixLines(v, "- [ ] ", /^\s*[-+*] \[[ xX]\] /);
      },
      table: function (v) {
        var header = texts.textTableHeader || "Column";
        return insertBlock(v, "| " + header + " | " + header + " |\n| --- | --- |\n|  |  |", 2, 2 + header.length);
      },
      image: function () {
        picker.click();
        return true;
      },
      math: math,
    };

    var view = new CM.EditorView({
      parent: container,
      state: CM.EditorState.create({
        doc: textarea.value,
        extensions: [
          CM.history(),
          CM.drawSelection(),
          CM.dropCursor(),
          CM.highlightSpecialChars(),
          CM.EditorView.lineWrapping,
          CM.indentUnit.of("  "),
          CM.EditorState.tabSize.of(4),
          CM.markdown({ base: CM.markdownLanguage, codeLanguages: CM.codeLanguages, extensions: [mathSyntax] }),
          CM.syntaxHighlighting(highlight),
          blockLines,
          CM.Prec.highest(
            CM.keymap.of([
              { key: "Mod-b", run: commands.bold },
              { key: "Mod-i", run: commands.italic },
              { key: "Mod-k", run: link },
              { key: "Enter", run: endList },
              {
                key: "Tab",
                run: function (v) {
                  return nest(v, true);
                },
                shift: function (v) {
                  return nest(v, false);
                },
              },
            ])
          ),
          CM.keymap.of(CM.defaultKeymap.concat(CM.historyKeymap)),
          CM.EditorView.contentAttributes.of({
            "aria-label": textarea.labels && textarea.labels[0] ? textarea.labels[0].textContent.trim() : "Markdown",
            "aria-multiline": "true",
            tabindex: "0", // axe counts a contenteditable as focusable only with it
            spellcheck: "false",
            autocorrect: "off",
            autocapitalize: "off",
            lang: document.documentElement.lang || "ko",
          }),
          CM.EditorView.updateListener.of(function (update) {
            if (update.docChanged) sync();
          }),
          CM.EditorView.domEventHandlers({
            // Typing or deleting over a selection that spans styled lines makes Chromium write
            // style attributes to keep their look, which the CSP refuses (and CodeMirror would
            // redraw anyway): such edits go straight to the editor's state. Never during an IME
            // composition, which is the browser's to run.
            beforeinput: function (event, v) {
              if (v.composing || event.isComposing || v.state.selection.ranges.every(isEmpty)) return false;
              if (event.inputType === "insertText" && typeof event.data === "string") {
                v.dispatch(v.state.replaceSelection(event.data), { userEvent: "input.type", scrollIntoView: true });
              } else if (/^delete(Content|Word|Soft|Hard)/.test(event.inputType)) {
                v.dispatch(v.state.replaceSelection(""), { userEvent: "delete.selection", scrollIntoView: true });
              } else {
                return false;
              }
              event.preventDefault();
              return true;
            },
            compositionstart: function () {
              composing = true;
            },
            compositionend: function () {
              composing = false;
              // CodeMirror applies the composed text after this event: mirror once it has.
              setTimeout(sync, 0);
            },
            paste: function (event) {
              return handleFiles(event, event.clipboardData && event.clipboardData.files);
            },
            drop: function (event) {
              return handleFiles(event, event.dataTransfer && event.dataTransfer.files);
            },
          }),
        ],
      }),
    });

    // Text put into the textarea from outside (the browser copy restored) comes into the editor.
    textarea.addEventListener("input", function () {
      if (textarea.value !== text()) {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: textarea.value } });
      }
    });
    textarea.camplogEditor = {
      view: view,
      composing: function () {
        return composing || view.composing;
      },
    };
    if (textarea.labels && textarea.labels[0]) {
      textarea.labels[0].addEventListener("click", function (event) {
        event.preventDefault();
        view.focus();
      });
    }

    view.scrollDOM.addEventListener("scroll", function () {
      if (mode === "split") syncPreviewScroll();
    });
    previewPane.addEventListener("scroll", function () {
      if (mode === "split") syncEditorScroll();
    });

    // --- Toolbar and views
    container.insertBefore(view.dom, previewPane);
    container.insertBefore(toolbar, container.firstChild);
    container.appendChild(uploads);
    container.classList.add("has-editor");
    textarea.hidden = true;
    textarea.setAttribute("tabindex", "-1");

    toolbar.addEventListener("mousedown", function (event) {
      if (event.target.closest("button")) event.preventDefault(); // the text keeps the focus
    });
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      if (button.dataset.command && commands[button.dataset.command]) {
        commands[button.dataset.command](view);
        if (button.dataset.command !== "image") view.focus();
      } else if (button.dataset.mode) {
        setMode(button.dataset.mode, true);
      } else if (button.dataset.fullscreen !== undefined) {
        setFullscreen(!container.classList.contains("is-fullscreen"));
      }
    });
    if (keep) {
      keep.addEventListener("change", function () {
        store(KEEP_KEY, keep.checked ? "1" : "0");
      });
    }
    container.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && container.classList.contains("is-fullscreen")) setFullscreen(false);
    });

    var mode = null;
    function setMode(next, remember) {
      if (["split", "editor", "preview"].indexOf(next) < 0) next = "split";
      mode = next;
      container.classList.remove("is-mode-split", "is-mode-editor", "is-mode-preview");
      container.classList.add("is-mode-" + next);
      Array.prototype.forEach.call(toolbar.querySelectorAll("[data-mode]"), function (button) {
        button.setAttribute("aria-pressed", String(button.dataset.mode === next));
      });
      if (remember) store(MODE_KEY, next);
      if (next !== "editor") renderPreview();
      if (next === "preview" && remember) previewPane.focus();
      else view.requestMeasure();
    }

    function setFullscreen(on) {
      container.classList.toggle("is-fullscreen", on);
      document.documentElement.classList.toggle("has-fullscreen-editor", on);
      var button = toolbar.querySelector("[data-fullscreen]");
      if (button) button.setAttribute("aria-pressed", String(on));
      view.requestMeasure();
      if (mode !== "preview") view.focus();
    }

    var wide = window.matchMedia("(min-width: 72rem)").matches;
    setMode(stored(MODE_KEY) || (wide ? "split" : "editor"), false);
    return view;
  }

  Array.prototype.forEach.call(document.querySelectorAll(".markdownx textarea"), setUp);
})();
