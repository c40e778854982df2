// A page that says "try again at 15:52" reloads itself then, so the Start button appears
// without a manual refresh. Without JavaScript, the page says the time and a reload works.
(function () {
  "use strict";
  var waiting = document.querySelector("[data-reload-after]");
  if (!waiting) return;
  var seconds = parseInt(waiting.getAttribute("data-reload-after"), 10);
  if (seconds > 0 && seconds < 86400) {
    window.setTimeout(function () { window.location.reload(); }, seconds * 1000 + 500);
  }
})();
