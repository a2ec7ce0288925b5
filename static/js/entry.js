// The entry page's reading aids: the contents follow the section being read, headings get a
// link to share them, code blocks a copy button, pictures open larger in a dialog, and the
// copy-link button copies the page's address. Without this script the page reads the same,
// with plain contents links and plain pictures.
(function () {
  "use strict";
  var body = document.getElementById("entry-body");
  if (!body) return;
  var text = body.dataset;
  var status = document.getElementById("entry-status");

  // Without the clipboard (a page not served over HTTPS) the code is selected for Ctrl+C.
  function copy(value, done, fallback) {
    if (navigator.clipboard) {
      navigator.clipboard.writeText(value).then(done, fallback);
    } else {
      fallback();
    }
  }

  function say(message) {
    if (status) status.textContent = message;
  }

  // Heading anchors: a link after each heading with an id, shown on hover and focus.
  var anchored = body.querySelectorAll("h1[id], h2[id], h3[id], h4[id], h5[id], h6[id]");
  Array.prototype.forEach.call(anchored, function (heading) {
    var link = document.createElement("a");
    link.className = "heading-anchor";
    link.href = "#" + heading.id;
    link.setAttribute("aria-label", text.anchor + ": " + heading.textContent);
    link.textContent = "#";
    heading.appendChild(link);
  });

  // The contents: the link of the section being read is marked, in the aside and in the bar.
  var links = Array.prototype.slice.call(document.querySelectorAll(".toc a[href^='#']"));
  var listed = links.map(function (link) {
    return link.getAttribute("href");
  });
  var headings = Array.prototype.filter.call(anchored, function (heading) {
    return listed.indexOf("#" + heading.id) !== -1;
  });
  var current = document.querySelector(".toc-inline .toc-current");
  var marked = null;
  // A heading is being read once it is above this line: a heading reached through the contents
  // lands below the sticky header (scroll-padding and scroll-margin), well above it.
  var line = Math.round(Math.min(window.innerHeight * 0.35, 240));
  // The end of the text: once it is on screen, a short last section never reaches the line.
  var end = document.createElement("span");
  body.appendChild(end);
  function mark() {
    var active = null;
    for (var i = 0; i < headings.length; i++) {
      if (headings[i].getBoundingClientRect().top > line) break;
      active = headings[i];
    }
    var last = headings[headings.length - 1];
    if (last && end.getBoundingClientRect().top <= window.innerHeight) {
      if (last.getBoundingClientRect().top < window.innerHeight) active = last;
    }
    if (active === marked) return;
    marked = active;
    var hash = active ? "#" + active.id : "";
    links.forEach(function (link) {
      if (link.getAttribute("href") === hash) {
        link.setAttribute("aria-current", "true");
        var box = link.closest(".is-sticky");
        if (box && box.scrollHeight > box.clientHeight) {
          var top = link.offsetTop - box.offsetTop;
          if (top < box.scrollTop || top > box.scrollTop + box.clientHeight - 40) {
            box.scrollTop = top - box.clientHeight / 3;
          }
        }
      } else {
        link.removeAttribute("aria-current");
      }
    });
    if (current) current.textContent = active ? active.textContent.replace(/#$/, "") : "";
  }
  if (links.length && "IntersectionObserver" in window) {
    var observer = new IntersectionObserver(mark, { rootMargin: -line + "px 0px 0px 0px" });
    headings.concat(end).forEach(function (element) {
      observer.observe(element);
    });
  }
  var bar = document.querySelector(".toc-inline");
  if (bar) {
    bar.addEventListener("click", function (event) {
      if (event.target.closest("a")) bar.open = false;
    });
  }

  // Code blocks: a copy button in the block's corner.
  Array.prototype.forEach.call(body.querySelectorAll(".highlight"), function (block) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "code-copy";
    button.textContent = text.copy;
    button.addEventListener("click", function () {
      var code = block.querySelector("pre");
      copy(
        code.textContent,
        function () {
          button.textContent = text.copied;
          button.classList.add("is-done");
          say(text.copied);
          setTimeout(function () {
            button.textContent = text.copy;
            button.classList.remove("is-done");
          }, 2000);
        },
        function () {
          window.getSelection().selectAllChildren(code);
        }
      );
    });
    block.appendChild(button);
  });

  // The copy-link button: without this script it is a plain link to the page.
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy-link]"), function (link) {
    link.setAttribute("role", "button");
    link.addEventListener("click", function (event) {
      if (!navigator.clipboard) return;
      event.preventDefault();
      copy(
        link.href,
        function () {
          say(link.dataset.done);
        },
        function () {
          window.location.href = link.href;
        }
      );
    });
  });

  // Pictures: a link to the picture that opens it in a dialog (Esc or the button closes it,
  // and focus returns to the picture's link).
  var dialog = null;
  var opener = null;
  function open(event) {
    event.preventDefault();
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.className = "lightbox";
      dialog.innerHTML = '<button type="button" class="lightbox-close"></button><img alt="">';
      dialog.firstChild.textContent = "×";
      dialog.firstChild.setAttribute("aria-label", text.close);
      dialog.addEventListener("click", function (e) {
        if (e.target !== dialog.lastChild) dialog.close();
      });
      dialog.addEventListener("close", function () {
        if (opener) opener.focus();
      });
      document.body.appendChild(dialog);
    }
    opener = event.currentTarget;
    var picture = opener.querySelector("img");
    dialog.lastChild.src = picture.currentSrc || picture.src;
    dialog.lastChild.alt = picture.alt;
    dialog.setAttribute("aria-label", picture.alt || text.zoom);
    dialog.showModal();
  }
  Array.prototype.forEach.call(body.querySelectorAll("img"), function (picture) {
    if (picture.closest("a")) return;
    var link = document.createElement("a");
    link.href = picture.src;
    link.className = "lightbox-link";
    link.setAttribute("aria-label", text.zoom + (picture.alt ? ": " + picture.alt : ""));
    picture.parentNode.insertBefore(link, picture);
    link.appendChild(picture);
    link.addEventListener("click", open);
  });
})();
