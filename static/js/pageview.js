// Page view: ← / → go to the previous / next page (the links rel=prev / rel=next), and the first
// highlighted region of the passage is scrolled to the upper third of the window once the page
// image has its size (unless it is already in the upper part).
(function () {
  "use strict";
  var root = document.querySelector(".pageview");
  if (!root) return;

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.target.closest && event.target.closest("input, textarea, select, [contenteditable]")) return;
    var link = null;
    if (event.key === "ArrowLeft") link = document.querySelector("a[data-pageview-prev]");
    if (event.key === "ArrowRight") link = document.querySelector("a[data-pageview-next]");
    if (!link) return;
    event.preventDefault();
    window.location.assign(link.href);
  });

  var selected = root.querySelector(".pageview__region.is-selected rect");
  var image = root.querySelector(".pageview__image");
  if (!selected || !image) return;
  function reveal() {
    var box = selected.getBoundingClientRect();
    if (box.top < 0 || box.top > window.innerHeight * 0.6) {
      window.scrollBy({ top: box.top - window.innerHeight / 3, behavior: "instant" });
    }
  }
  if (image.complete) reveal();
  else image.addEventListener("load", reveal, { once: true });
})();
