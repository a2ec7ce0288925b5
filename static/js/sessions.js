// Sessions and comments. Loaded with <script defer>; no inline JS (CSP). Everything works
// without it: this only asks before deleting a comment and hides the mentor's questions
// while the session being written is not a mentoring.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = button && button.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  var kind = document.getElementById("id_kind");
  var questions = document.getElementById("questions-fieldset");
  if (kind && questions) {
    var sync = function () {
      // Keep questions that are already written visible whatever the kind.
      var hasRows = questions.querySelector("input[name$='-id'][value]:not([value=''])");
      questions.hidden = kind.value !== "mentoring" && !hasRows;
    };
    kind.addEventListener("change", sync);
    sync();
  }
})();
