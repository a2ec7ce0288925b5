/*
 * The daily routine on the editor (form#entry-form). No build step, no dependencies; deferred.
 *
 *   - The one recovery banner (#recovery-offer): the server renders it for an autosaved draft;
 *     when this browser kept a newer copy (static/js/editor.js writes it to localStorage), the
 *     same banner offers that copy instead, its time said as the server says it
 *     (logs.writing.when_typed): "오늘 21:14", "2월 9일 21:14", in the cohort's time zone.
 *   - "Link this session" buttons put a Markdown link to a session of the day into its section
 *     of the log (the heading found as logs.entries.find_section finds it), not a copy.
 *
 * Text is changed in the textarea, followed by an "input" event, so the editor and its autosave
 * see it as typed.
 */
(function () {
  "use strict";

  var form = document.getElementById("entry-form");
  if (!form) return;
  var body = form.querySelector("textarea[name=body]");
  var title = form.querySelector("input[name=title]");
  var tags = form.querySelector("input[name=tags]");
  var version = form.querySelector("input[name=version]");

  function setBody(text) {
    body.value = text;
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // --- The recovery banner -------------------------------------------------------------------

  function parts(date, zone, options) {
    var result = {};
    new Intl.DateTimeFormat("en-US", Object.assign({ timeZone: zone }, options))
      .formatToParts(date)
      .forEach(function (part) {
        result[part.type] = part.value;
      });
    return result;
  }

  function whenTyped(moment, banner) {
    var zone = banner.dataset.timeZone || "Asia/Seoul";
    var lang = document.documentElement.lang || "ko";
    var day = { year: "numeric", month: "2-digit", day: "2-digit" };
    var then = parts(moment, zone, day);
    var now = parts(new Date(), zone, day);
    var clock = parts(moment, zone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    var time = clock.hour + ":" + clock.minute;
    if (then.year === now.year && then.month === now.month && then.day === now.day) {
      return (banner.dataset.textToday || "today %(time)s").replace("%(time)s", time);
    }
    var options = { timeZone: zone, month: "long", day: "numeric" };
    if (then.year !== now.year) options.year = "numeric";
    return new Intl.DateTimeFormat(lang, options).format(moment) + " " + time;
  }

  function setUpRecovery() {
    var banner = document.getElementById("recovery-offer");
    var storageKey = form.dataset.storageKey;
    if (!banner || !storageKey || !body) return;
    var restore = document.getElementById("recovery-restore");
    var discard = document.getElementById("recovery-discard");
    var copy = null;
    try {
      copy = JSON.parse(window.localStorage.getItem(storageKey) || "null");
    } catch (e) {
      copy = null;
    }
    function forget() {
      try {
        window.localStorage.removeItem(storageKey);
      } catch (e) {
        /* storage disabled: nothing to forget */
      }
    }
    var serverSaved = Number(banner.dataset.serverSaved || 0) * 1000;
    if (!copy || typeof copy.body !== "string") {
      return;
    }
    var same = copy.body.trim() === body.value.trim() && (copy.title || "") === (title ? title.value : "");
    // A copy that was submitted and whose version has since been saved over is obsolete.
    var superseded = copy.submitted && version && Number(copy.version || 0) < Number(version.value || 0);
    if (same || superseded) {
      forget();
      return;
    }
    if (serverSaved && copy.savedAt <= serverSaved) {
      // The server's draft holds this copy's text or a later one: the banner offers that. Taking
      // it back or discarding it settles the browser's copy too.
      restore.addEventListener("click", forget);
      discard.addEventListener("click", forget);
      return;
    }
    var text = document.getElementById("recovery-text");
    text.textContent = (banner.dataset.textOffer || "%(when)s").replace(
      "%(when)s",
      whenTyped(new Date(copy.savedAt), banner)
    );
    banner.hidden = false;
    restore.addEventListener("click", function (event) {
      event.preventDefault();
      if (title && copy.title) title.value = copy.title;
      if (tags && copy.tags) tags.value = copy.tags;
      banner.hidden = true;
      setBody(copy.body);
      body.focus();
    });
    discard.addEventListener("click", function (event) {
      forget();
      // An older server draft goes with it (the discard form posts); without one, just close.
      if (!serverSaved) {
        event.preventDefault();
        banner.hidden = true;
      }
    });
  }

  // --- Linking the day's sessions ------------------------------------------------------------

  var HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$/;
  var FENCE = /^ {0,3}(`{3,}|~{3,})/;

  // The line index of the first heading whose text holds one of `keywords`, or -1.
  function findHeading(lines, keywords) {
    var fence = null;
    for (var i = 0; i < lines.length; i++) {
      var fenceMatch = FENCE.exec(lines[i]);
      if (fence !== null) {
        if (fenceMatch && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length) fence = null;
        continue;
      }
      if (fenceMatch) {
        fence = fenceMatch[1];
        continue;
      }
      var match = HEADING.exec(lines[i]);
      if (!match) continue;
      var text = (match[2] || "").replace(/[*_`~]+/g, "").trim();
      for (var k = 0; k < keywords.length; k++) {
        if (keywords[k] && text.indexOf(keywords[k]) >= 0) return i;
      }
    }
    return -1;
  }

  function linkSession(button, status) {
    var markdown = button.dataset.markdown;
    var url = markdown.slice(markdown.lastIndexOf("](") + 2, -1);
    if (body.value.indexOf(url) >= 0) {
      status.textContent = status.dataset.textAlready || "";
      return;
    }
    var lines = body.value.replace(/\r\n?/g, "\n").split("\n");
    var at = findHeading(lines, (button.dataset.section || "").split("|"));
    if (at >= 0) {
      lines.splice(at + 1, 0, markdown);
    } else {
      while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
      lines.push("", button.dataset.heading, markdown, "");
    }
    setBody(lines.join("\n"));
    status.textContent = status.dataset.textLinked || "";
  }

  function setUpSessionLinks() {
    var status = document.getElementById("editor-sessions-status");
    if (!body || !status) return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-link-session]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        linkSession(button, status);
      });
    });
  }

  setUpRecovery();
  setUpSessionLinks();
})();
