// Live reload for `folio serve --watch`: the server adds this script to
// every page it serves in watch mode (never to a built site's pages).
// It reloads the page after each successful build, and while the sources
// do not build it shows the diagnostics over the page; the page itself is
// the last good build.
(function () {
  "use strict";

  var script = document.currentScript;
  var generation = script ? script.getAttribute("data-generation") : null;
  var box = null;

  function showDiagnostics(text) {
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("role", "alert");
      box.id = "folio-build-error";
      var s = box.style;
      s.position = "fixed";
      s.left = s.right = s.bottom = "1rem";
      s.maxHeight = "60vh";
      s.overflow = "auto";
      s.zIndex = "2147483647";
      s.background = "#1f1f1f";
      s.color = "#f4f4f4";
      s.border = "3px solid #d33";
      s.borderRadius = "4px";
      s.padding = "0.75rem 1rem";
      s.font = "13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";
      s.boxShadow = "0 4px 16px rgba(0, 0, 0, 0.4)";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "×";
      close.setAttribute("aria-label", "Close");
      close.style.float = "right";
      close.addEventListener("click", function () { box.hidden = true; });
      var title = document.createElement("strong");
      title.textContent = "The site did not build; this page is the last good build.";
      var pre = document.createElement("pre");
      pre.style.whiteSpace = "pre-wrap";
      pre.style.margin = "0.5rem 0 0";
      box.append(close, title, pre);
      document.body.append(box);
    }
    box.querySelector("pre").textContent = text;
    box.hidden = false;
  }

  function checkStatus() {
    fetch("/__folio/status", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (!status.ok) {
          showDiagnostics(status.diagnostics);
        } else if (box) {
          box.hidden = true;
        }
      })
      .catch(function () {});
  }

  var events = new EventSource("/__folio/reload");
  events.addEventListener("hello", function (event) {
    // A build that finished between loading this page and connecting.
    if (generation !== null && event.data !== generation) {
      location.reload();
    }
  });
  events.addEventListener("reload", function () { location.reload(); });
  // List pages written after the edited instrument's own pages.
  events.addEventListener("rewritten", function (event) {
    if (event.data.split(" ").indexOf(location.pathname) >= 0) {
      location.reload();
    }
  });
  events.addEventListener("failed", checkStatus);
  checkStatus();
})();
