/* Linking highlights and the margin for every reader: pointing at or focusing an
 * annotation card lights up its highlight; clicking a highlight brings its card
 * into view and focuses it. */
(function () {
  "use strict";

  function marks(id) {
    return document.querySelectorAll('mark[data-annotation="' + id + '"]');
  }

  function setActive(id, on) {
    marks(id).forEach(function (mark) { mark.classList.toggle("is-active", on); });
  }

  function bindCards() {
    document.querySelectorAll(".anno-card[data-annotation]").forEach(function (card) {
      if (card.dataset.bound) return;
      card.dataset.bound = "1";
      card.tabIndex = -1;
      var id = card.dataset.annotation;
      ["mouseenter", "focusin"].forEach(function (type) {
        card.addEventListener(type, function () { setActive(id, true); });
      });
      ["mouseleave", "focusout"].forEach(function (type) {
        card.addEventListener(type, function () { setActive(id, false); });
      });
    });
  }

  document.addEventListener("click", function (event) {
    var mark = event.target.closest("mark[data-annotation]");
    if (!mark || window.getSelection().toString()) return;
    var card = document.getElementById("annotation-" + mark.dataset.annotation);
    if (card) {
      card.scrollIntoView({ block: "nearest" });
      card.focus({ preventScroll: true });
    }
  });

  document.addEventListener("annotations:refreshed", bindCards);
  bindCards();
})();
