/*
 * Camplog's editor and entry page behaviour. No build step, no dependencies; loaded with defer.
 *
 * On the editor (form#entry-form):
 *   - autosave to the server while typing (logs:draft_save), and a copy in localStorage as a
 *     second line (static/js/routine.js offers it back in the editor's one recovery banner);
 *   - Ctrl/Cmd+S saves; leaving with unsaved typing asks first;
 *   - the body's Markdown editor (markdown-editor.js, loaded first) mirrors its text into the
 *     textarea; images, the toolbar and the preview are its own;
 *   - the tag input suggests the cohort's existing tags.
 * On the entry page (#entry-body[data-task-form]): the owner ticks task checkboxes and the change
 * is saved into the Markdown.
 */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, data, token, extra) {
    var options = {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "X-Requested-With": "XMLHttpRequest", Accept: "application/json" },
    };
    if (extra) {
      Object.keys(extra).forEach(function (key) {
        options[key] = extra[key];
      });
    }
    return fetch(url, options).then(function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (json) {
          return { ok: response.ok, status: response.status, json: json };
        });
    });
  }

  function say(element, text, isError) {
    if (!element) return;
    element.textContent = text;
    element.classList.toggle("is-error", Boolean(isError));
  }

  // --- The editor --------------------------------------------------------------------------------

  function setUpEditor(form) {
    var body = form.querySelector("textarea[name=body]");
    var title = form.querySelector("input[name=title]");
    var tags = form.querySelector("input[name=tags]");
    var version = form.querySelector("input[name=version]");
    var status = document.getElementById("autosave-status");
    var storageKey = form.dataset.storageKey;
    var token = csrfToken(form);
    // Messages come translated from the template (data-text-* on the form).
    var texts = {
      saving: form.dataset.textSaving || "Saving draft…",
      offline: form.dataset.textOffline || "Could not save the draft. Your text is kept in this browser.",
    };
    var dirty = false; // typed since the last autosave
    var submitting = false;
    var timer = null;
    var lastSent = Date.now();

    function snapshot() {
      return {
        body: body ? body.value : "",
        title: title ? title.value : "",
        tags: tags ? tags.value : "",
        version: version ? version.value : "",
        savedAt: Date.now(),
        submitted: false,
      };
    }

    function keepLocal(submitted) {
      if (!storageKey) return;
      try {
        var copy = snapshot();
        copy.submitted = Boolean(submitted);
        window.localStorage.setItem(storageKey, JSON.stringify(copy));
      } catch (e) {
        /* storage full or disabled: the server autosave still runs */
      }
    }

    function composing() {
      return Boolean(body && body.camplogEditor && body.camplogEditor.composing());
    }

    function autosave(keepalive) {
      clearTimeout(timer);
      timer = null;
      if (!dirty) return;
      if (composing() && !keepalive) {
        timer = setTimeout(autosave, 500); // never half a syllable
        return;
      }
      dirty = false;
      lastSent = Date.now();
      var data = new FormData(form);
      say(status, texts.saving);
      var extra = keepalive && body && body.value.length < 60000 ? { keepalive: true } : null;
      post(form.dataset.autosaveUrl, data, token, extra)
        .then(function (result) {
          if (result.ok) {
            say(status, result.json.message || "");
          } else {
            dirty = true;
            say(status, result.json.error || texts.offline, true);
          }
        })
        .catch(function () {
          dirty = true;
          say(status, texts.offline, true);
        });
    }

    function changed(event) {
      // The Markdown editor's own typing reaches the form too; it tells the textarea once a
      // composition has ended, and that "input" is the one that counts.
      if (event && event.target && event.target.closest && event.target.closest(".cm-editor")) return;
      dirty = true;
      keepLocal(false);
      clearTimeout(timer);
      // Two seconds after the typing stops, and at least every fifteen seconds while it goes on.
      var wait = Date.now() - lastSent > 15000 ? 0 : 2000;
      timer = setTimeout(autosave, wait);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () {
      submitting = true;
      clearTimeout(timer);
      keepLocal(true);
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && !submitting) autosave(true);
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty && !submitting) {
        event.preventDefault();
        event.returnValue = "";
      }
    });

    // Ctrl/Cmd+S saves the form instead of saving the web page.
    document.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && (event.key === "s" || event.key === "S")) {
        event.preventDefault();
        if (form.requestSubmit) form.requestSubmit();
        else form.submit();
      }
    });

    setUpTagSuggestions(tags);
  }

  // --- Tag suggestions ---------------------------------------------------------------------------

  function setUpTagSuggestions(input) {
    var list = document.getElementById("tag-suggestions");
    var source = document.getElementById("tag-suggestions-data");
    if (!input || !list || !source) return;
    var known = [];
    try {
      known = JSON.parse(source.textContent) || [];
    } catch (e) {
      known = [];
    }
    if (!known.length) return;
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-autocomplete", "list");
    var active = -1;

    function parts() {
      var value = input.value;
      var cut = value.lastIndexOf(",");
      return { head: cut >= 0 ? value.slice(0, cut + 1) : "", token: value.slice(cut + 1).trim() };
    }

    function chosen() {
      return input.value
        .split(",")
        .map(function (tag) {
          return tag.trim().toLowerCase();
        })
        .filter(Boolean);
    }

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
    }

    function pick(name) {
      var head = parts().head;
      input.value = (head ? head.trim() + " " : "") + name + ", ";
      close();
      input.focus();
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function show() {
      var token = parts().token.toLowerCase();
      var taken = chosen();
      var matches = known
        .filter(function (name) {
          var lower = name.toLowerCase();
          return taken.indexOf(lower) < 0 && (!token || lower.indexOf(token) >= 0);
        })
        .slice(0, 8);
      list.innerHTML = "";
      active = -1;
      if (!matches.length || document.activeElement !== input) {
        close();
        return;
      }
      matches.forEach(function (name, index) {
        var item = document.createElement("li");
        item.setAttribute("role", "option");
        item.id = "tag-suggestion-" + index;
        item.className = "tag";
        item.textContent = name;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the input
          pick(name);
        });
        list.appendChild(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function move(step) {
      var items = list.querySelectorAll("li");
      if (!items.length) return;
      if (active >= 0) items[active].classList.remove("is-active");
      active = (active + step + items.length) % items.length;
      items[active].classList.add("is-active");
      input.setAttribute("aria-activedescendant", items[active].id);
    }

    input.addEventListener("input", show);
    input.addEventListener("focus", show);
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        move(event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        pick(list.querySelectorAll("li")[active].textContent);
      } else if (event.key === "Escape") {
        close();
      }
    });
  }

  // --- Ticking tasks on the entry page -----------------------------------------------------------

  function setUpTasks(container) {
    var form = document.getElementById(container.dataset.taskForm);
    var status = document.getElementById("task-status");
    if (!form) return;
    var token = csrfToken(form);
    var boxes = container.querySelectorAll("input[type=checkbox][data-task-index]");
    Array.prototype.forEach.call(boxes, function (box) {
      box.disabled = false;
      box.addEventListener("change", function () {
        var data = new FormData();
        data.append("index", box.dataset.taskIndex);
        data.append("checked", box.checked ? "1" : "0");
        data.append("version", container.dataset.version);
        box.disabled = true;
        post(form.action, data, token)
          .then(function (result) {
            if (result.ok) {
              container.dataset.version = result.json.version;
              say(status, "");
            } else {
              box.checked = !box.checked;
              say(status, result.json.error || "", true);
            }
          })
          .catch(function () {
            box.checked = !box.checked;
          })
          .then(function () {
            box.disabled = false;
          });
      });
    });
  }

  var editorForm = document.getElementById("entry-form");
  if (editorForm) setUpEditor(editorForm);
  var entryBody = document.querySelector("#entry-body[data-task-form]");
  if (entryBody) setUpTasks(entryBody);
})();
