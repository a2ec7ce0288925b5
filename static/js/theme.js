// The header's theme buttons (logs/theme.py): switch at once, without a reload, and remember
// the choice in a cookie (the server renders the next page in it, so it never flashes) and in
// localStorage (which brings a lost cookie back). Without this script the form posts instead.
(function () {
  "use strict";
  var KEY = "theme";
  var root = document.documentElement;

  function explicit(choice) {
    return choice === "light" || choice === "dark";
  }

  function remember(choice) {
    var secure = location.protocol === "https:" ? "; secure" : "";
    document.cookie = explicit(choice)
      ? "theme=" + choice + "; path=/; max-age=31536000; samesite=lax" + secure
      : "theme=; path=/; max-age=0; samesite=lax" + secure;
    try {
      if (explicit(choice)) localStorage.setItem(KEY, choice);
      else localStorage.removeItem(KEY);
    } catch (e) {
      // Storage refused (private mode): the cookie is enough.
    }
  }

  function apply(choice) {
    if (explicit(choice)) root.setAttribute("data-theme", choice);
    else root.removeAttribute("data-theme");
    var meta = document.querySelector('meta[name="color-scheme"]');
    if (meta) meta.setAttribute("content", explicit(choice) ? choice : "light dark");
    document.querySelectorAll("[data-theme-form] button[name=theme]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.value === choice));
    });
  }

  var cookie = (document.cookie.match(/(?:^|; )theme=(light|dark)(?:;|$)/) || [])[1];
  var stored = null;
  try {
    stored = localStorage.getItem(KEY);
  } catch (e) {
    stored = null;
  }
  if (cookie) {
    if (stored !== cookie) remember(cookie);
  } else if (explicit(stored)) {
    remember(stored);
    apply(stored);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    if (!form.matches("[data-theme-form]") || !button || button.name !== "theme") return;
    event.preventDefault();
    remember(button.value);
    apply(button.value);
    var menu = form.closest("details");
    if (menu) menu.open = false;
  });
})();
