// Class sessions: small enhancements only; every page works without this file.
(function () {
  "use strict";
  // Present mode: arrow keys, Page Up/Down, space and most clickers move between screens.
  var FORWARD = ["ArrowRight", "ArrowDown", "PageDown", " ", "Enter"];
  var BACK = ["ArrowLeft", "ArrowUp", "PageUp", "Backspace"];
  if (document.body.classList.contains("presenting")) {
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      var rel = FORWARD.indexOf(event.key) >= 0 ? "next" : BACK.indexOf(event.key) >= 0 ? "prev" : null;
      var link = rel && document.querySelector('a[rel="' + rel + '"]');
      if (link) {
        event.preventDefault();
        window.location.href = link.href;
      }
    });
  }
  // The teacher's results refresh in place every few seconds.
  var results = document.getElementById("class-results");
  if (results && window.fetch) {
    var url = results.getAttribute("data-results-url");
    window.setInterval(function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) return;
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var fresh = holder.querySelector("#class-results");
          if (fresh) results.replaceWith(fresh), (results = fresh);
        })
        .catch(function () {});
    }, 4000);
  }
})();
