/* The one selection module of the reader: every tool that works on selected text (the
 * annotator, concept mentions, search highlights) asks here.
 *
 * Offsets are Unicode code points over a passage's text with the ¶ anchor link left out,
 * as the server counts them (a character outside the BMP, such as 𠮷, is one). A selection
 * is read on "selectionchange", so one made with the keyboard counts as much as one made
 * with the mouse. Exposed as window.TanyuanSelection; load it before its users (defer keeps
 * document order).
 */
(function () {
  "use strict";
  if (window.TanyuanSelection) return;

  var ANCHOR = ".passage__anchor";

  function passageOf(node) {
    var el = node && (node.nodeType === 1 ? node : node.parentElement);
    return el ? el.closest("[data-passage]") : null;
  }

  // The text nodes of scope in document order, without the ¶ anchor links.
  function textNodes(scope) {
    var walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement && node.parentElement.closest(ANCHOR) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    return nodes;
  }

  function withoutAnchors(range) {
    var fragment = range.cloneContents();
    fragment.querySelectorAll(ANCHOR).forEach(function (el) { el.remove(); });
    return fragment.textContent;
  }

  // The passage's text as code points.
  function chars(passageEl) {
    var range = document.createRange();
    range.selectNodeContents(passageEl);
    return Array.from(withoutAnchors(range));
  }

  // Code points of the passage's text before the boundary (node, offset).
  function offsetIn(passageEl, node, offset) {
    var range = document.createRange();
    range.setStart(passageEl, 0);
    range.setEnd(node, offset);
    return Array.from(withoutAnchors(range)).length;
  }

  /* The current selection within one passage, or null: {passage (id), passageEl, start, end
   * (code points), exact (the quote), rect}. A selection running past its passage is cut at
   * the passage's end; white space at either end is not part of the quote. */
  function read() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    var range = selection.getRangeAt(0);
    var passageEl = passageOf(range.startContainer);
    if (!passageEl) return null;
    var text = chars(passageEl);
    var start = offsetIn(passageEl, range.startContainer, range.startOffset);
    var end = passageEl.contains(range.endContainer)
      ? offsetIn(passageEl, range.endContainer, range.endOffset)
      : text.length;
    end = Math.min(end, text.length);
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    if (end <= start) return null;
    return {
      passage: parseInt(passageEl.getAttribute("data-passage"), 10),
      passageEl: passageEl,
      start: start,
      end: end,
      exact: text.slice(start, end).join(""),
      rect: range.getBoundingClientRect()
    };
  }

  // Call back with read() (or null) whenever the selection settles, however it was made.
  function onChange(callback, delay) {
    var timer = null;
    document.addEventListener("selectionchange", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { callback(read()); }, delay === undefined ? 150 : delay);
    });
  }

  // Wrap code points start..end of the passage in elements made by make(), piece by piece
  // (a span may cross elements). Nothing is parsed as HTML.
  function wrap(passageEl, start, end, make) {
    var position = 0;
    textNodes(passageEl).forEach(function (node) {
      var points = Array.from(node.data);
      var from = Math.max(start - position, 0);
      var to = Math.min(end - position, points.length);
      position += points.length;
      if (from >= to) return;
      var before = points.slice(0, from).join("");
      var middle = points.slice(from, to).join("");
      var target = node;
      if (before) target = node.splitText(before.length);
      if (middle.length < target.data.length) target.splitText(middle.length);
      var element = make();
      target.parentNode.insertBefore(element, target);
      element.appendChild(target);
    });
  }

  window.TanyuanSelection = { passageOf: passageOf, textNodes: textNodes, chars: chars, read: read, onChange: onChange, wrap: wrap };
})();
