/* The language switch keeps one's place: the path and query (already in the form's "next"
 * field, filled by the server) and the #anchor, which only the browser knows. In the reader,
 * without an anchor in the address, the passage being read (reading.js) is used. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.lang-switch") || !form.elements.next) return;
    var anchor = window.location.hash;
    if (!anchor && document.body.dataset.readingAnchor) anchor = "#" + document.body.dataset.readingAnchor;
    form.elements.next.value = window.location.pathname + window.location.search + anchor;
  });
})();
