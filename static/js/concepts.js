/* Concepts layer: an editor selects text in the reader to add a concept mention.
   No framework; the form is rendered by the server (templates/kb/_reader_concepts.html). */
(function () {
  "use strict";
  var form = document.getElementById("mention-add");
  if (!form) { return; }

  function passageOf(node) {
    while (node && node.nodeType !== 1) { node = node.parentNode; }
    return node ? node.closest("[data-passage]") : null;
  }

  function offsetIn(passage, container, offset) {
    // The passage's text content is the passage text followed by the ¶ anchor link.
    var range = document.createRange();
    range.setStart(passage, 0);
    range.setEnd(container, offset);
    return range.toString().length;
  }

  document.addEventListener("mouseup", function (event) {
    if (form.contains(event.target)) { return; }
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) { return; }
    var range = selection.getRangeAt(0);
    var passage = passageOf(range.startContainer);
    if (!passage || passage !== passageOf(range.endContainer)) { return; }
    var start = offsetIn(passage, range.startContainer, range.startOffset);
    var end = offsetIn(passage, range.endContainer, range.endOffset);
    var anchor = passage.querySelector(".passage__anchor");
    var limit = passage.textContent.length - (anchor ? anchor.textContent.length : 0);
    end = Math.min(end, limit);
    if (end <= start) { return; }
    form.elements.passage.value = passage.getAttribute("data-passage");
    form.elements.start.value = String(start);
    form.elements.end.value = String(end);
    form.querySelector(".mention-add__quote").textContent = "「" + selection.toString().slice(0, 60) + "」";
    form.hidden = false;
  });

  form.querySelector(".mention-add__cancel").addEventListener("click", function () {
    form.hidden = true;
  });
})();
