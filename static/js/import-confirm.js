// The import's confirmation, batch after batch (logs.transfer.pending.import_next): each POST
// imports the next posts and answers where the import stands; the bar follows, and once every
// post is in, the form is posted as a page to show the summary. Without JavaScript the same
// form posts one batch a page, with a button for the next. No inline JS (CSP).
(function () {
  "use strict";

  var form = document.querySelector("form[data-import-confirm]");
  try {
    // The upload is whole (this is its preview): nothing for import-upload.js to resume.
    window.localStorage.removeItem("camplog-import-upload");
  } catch (error) {
    // no storage, nothing kept
  }
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var progress = form.querySelector("progress");
  var status = form.querySelector("[data-import-status]");
  var cursor = form.querySelector("input[name=cursor]");
  var button = form.querySelector("button[type=submit]");
  var running = false;

  function say(text) {
    status.textContent = text;
  }

  function batch(failures) {
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        // A refusal may be a page, not JSON (a 500, a 403 after the session ended).
        return response.json().then(
          function (body) {
            if (!response.ok) {
              throw new Error(body.error || form.getAttribute("data-failed"));
            }
            return body;
          },
          function () {
            throw new Error(form.getAttribute("data-failed"));
          }
        );
      })
      .then(
        function (answer) {
          cursor.value = String(answer.cursor);
          progress.max = Math.max(answer.total || 0, 1);
          progress.value = answer.cursor;
          say(form.getAttribute("data-importing") + " " + answer.cursor + " / " + answer.total);
          if (answer.done) {
            running = false;
            form.submit(); // the summary, as a page
            return null;
          }
          return batch(0);
        },
        function (error) {
          // The connection dropped: the same cursor again, a few times (a batch written
          // already is not written twice).
          if (failures < 3 && error instanceof TypeError) {
            return new Promise(function (resolve) {
              setTimeout(resolve, 1000 * (failures + 1));
            }).then(function () {
              return batch(failures + 1);
            });
          }
          throw error;
        }
      );
  }

  function run() {
    if (running) {
      return;
    }
    running = true;
    button.disabled = true;
    progress.hidden = false;
    say(form.getAttribute("data-importing"));
    batch(0).catch(function (error) {
      running = false;
      button.disabled = false;
      say(error.message || form.getAttribute("data-failed"));
    });
  }

  form.addEventListener("submit", function (event) {
    if (running) {
      event.preventDefault();
      return;
    }
    event.preventDefault();
    run();
  });

  if (form.hasAttribute("data-auto")) {
    run(); // the page without a script came back here: go on by itself
  }
})();
