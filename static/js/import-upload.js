// The import form sends the chosen files in parts (logs.views.transfer.import_upload_part),
// so a blog of gigabytes goes up in requests of a few megabytes, with a progress bar, and a
// lost part is sent again from where the server has the file. After a reload, choosing the same
// files goes on from where the server has them: the upload's token is kept in localStorage with
// the files' names, sizes and dates, and the start answers how much of each is there. Without
// JavaScript the form posts the files in one request, as before. No inline JS (CSP).
(function () {
  "use strict";

  var form = document.querySelector("form[data-parts-url]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var input = form.querySelector("input[type=file]");
  var progress = form.querySelector("progress");
  var status = form.querySelector("[data-upload-status]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var KEPT = "camplog-import-upload";

  function kept() {
    try {
      return JSON.parse(window.localStorage.getItem(KEPT) || "null");
    } catch (error) {
      return null; // storage refused (private mode) or garbled
    }
  }

  function keep(value) {
    try {
      if (value) {
        window.localStorage.setItem(KEPT, JSON.stringify(value));
      } else {
        window.localStorage.removeItem(KEPT);
      }
    } catch (error) {
      // without storage, a reload starts the upload again
    }
  }

  function signature(files, cohort) {
    return JSON.stringify({
      cohort: cohort,
      files: files.map(function (file) {
        return [file.name, file.size, file.lastModified];
      }),
    });
  }

  function post(url, data) {
    data.append("csrfmiddlewaretoken", csrf);
    return fetch(url, { method: "POST", body: data, credentials: "same-origin" }).then(
      function (response) {
        // A refusal may be a page, not JSON (a 404, a 403 after the session ended).
        return response.json().then(
          function (body) {
            return { status: response.status, body: body };
          },
          function () {
            return { status: response.status, body: {} };
          }
        );
      }
    );
  }

  function say(text) {
    status.textContent = text;
  }

  function sendFile(token, index, file, partBytes, sentBefore, here) {
    // data-parts-url is the URL of part 0 of file 0 of a token named TOKEN.
    var url = form
      .getAttribute("data-parts-url")
      .replace("TOKEN", token)
      .replace(/\/0\/$/, "/" + index + "/");
    var failures = 0;
    function from(offset) {
      if (offset >= file.size) {
        return Promise.resolve();
      }
      var data = new FormData();
      data.append("offset", String(offset));
      data.append("part", file.slice(offset, offset + partBytes), file.name);
      return post(url, data).then(
        function (answer) {
          if (answer.status === 200 || answer.status === 409) {
            failures = answer.status === 200 ? 0 : failures + 1;
            if (failures > 5) {
              throw new Error(form.getAttribute("data-failed"));
            }
            progress.value = sentBefore + answer.body.received;
            return from(answer.body.received);
          }
          throw new Error(answer.body.error || form.getAttribute("data-failed"));
        },
        function () {
          // The connection dropped: wait, then send again from where the server stands.
          failures += 1;
          if (failures > 5) {
            throw new Error(form.getAttribute("data-failed"));
          }
          return new Promise(function (resolve) {
            setTimeout(resolve, 1000 * failures);
          }).then(function () {
            return from(offset);
          });
        }
      );
    }
    return from(here);
  }

  if (kept()) {
    say(form.getAttribute("data-resume"));
  }

  form.addEventListener("submit", function (event) {
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length || form.querySelector("input[name=token]")) {
      return;
    }
    event.preventDefault();
    var total = files.reduce(function (sum, file) {
      return sum + file.size;
    }, 0);
    var cohort = form.querySelector("[name=cohort]").value;
    var mark = signature(files, cohort);
    var before = kept();
    var start = new FormData();
    start.append("cohort", cohort);
    if (before && before.signature === mark) {
      start.append("token", before.token); // the same files as the upload a reload stopped
    }
    files.forEach(function (file) {
      start.append("names", file.name);
      start.append("sizes", String(file.size));
    });
    progress.max = Math.max(total, 1);
    progress.value = 0;
    progress.hidden = false;
    say(form.getAttribute("data-sending"));
    form.querySelector("button[type=submit]").disabled = true;
    post(form.getAttribute("data-start-url"), start)
      .then(function (answer) {
        if (answer.status !== 200) {
          throw new Error(answer.body.error || form.getAttribute("data-failed"));
        }
        var token = answer.body.token;
        keep({ signature: mark, token: token });
        var sent = 0;
        var chain = Promise.resolve();
        files.forEach(function (file, index) {
          chain = chain.then(function () {
            var before = sent;
            sent += file.size;
            var here = answer.body.received[index] || 0;
            progress.value = before + here;
            return sendFile(token, index, file, answer.body.part_bytes, before, here);
          });
        });
        return chain.then(function () {
          return token;
        });
      })
      .then(function (token) {
        var field = document.createElement("input");
        field.type = "hidden";
        field.name = "token";
        field.value = token;
        form.appendChild(field);
        input.disabled = true; // the files are on the server; only the token is posted
        say(form.getAttribute("data-reading"));
        form.submit();
      })
      .catch(function (error) {
        say(error.message);
        form.querySelector("button[type=submit]").disabled = false;
      });
  });
})();
