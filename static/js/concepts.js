/* Concepts layer: an editor selects text in the reader (with the mouse or the keyboard) to add
   a concept mention. The selection's code-point offsets within the passage come from
   selection.js, the one selection module of the reader. No framework; the form is rendered by
   the server (templates/kb/_reader_concepts.html). */
(function () {
  "use strict";
  var form = document.getElementById("mention-add");
  if (!form || !window.TanyuanSelection) { return; }

  window.TanyuanSelection.onChange(function (selected) {
    // Choosing a concept in the form must not drop the selection it was opened for.
    if (!selected || form.contains(document.activeElement)) { return; }
    form.elements.passage.value = String(selected.passage);
    form.elements.start.value = String(selected.start);
    form.elements.end.value = String(selected.end);
    form.querySelector(".mention-add__quote").textContent = "「" + Array.from(selected.exact).slice(0, 60).join("") + "」";
    form.hidden = false;
  });

  form.querySelector(".mention-add__cancel").addEventListener("click", function () {
    form.hidden = true;
  });
})();
