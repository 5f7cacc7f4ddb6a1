/* Concept autocomplete of the claim forms ([data-concept-combobox], templates/kb/_concept_combobox.html).
 *
 * The input holds comma-separated concept names (Chinese or English label, alias). While one
 * types, the name after the last separator is completed from the JSON endpoint in data-api
 * ({concepts: [{slug, label_zh, label_en, matched}]}), in an ARIA 1.2 combobox
 * (static/js/listbox.js): ↓ ↑ move, Enter or a click takes the option (the first one is
 * active as soon as the list opens, so "数字鸿" + Enter becomes 数字鸿沟; with no option
 * active, Enter submits the form), Escape closes the list. The chosen label replaces what was
 * typed and a "，" follows, ready for the next name. Without this script the field still
 * works: the server resolves names and reports any it cannot find.
 */
(function () {
  "use strict";

  var listbox = window.TanyuanListbox; // static/js/listbox.js, loaded first
  if (!listbox) return;

  var SEPARATORS = [",", "，", "、", ";", "；"];

  // {head: the names before the one being typed (with their separator), term: the one being typed}
  function split(value) {
    var cut = -1;
    SEPARATORS.forEach(function (sep) { cut = Math.max(cut, value.lastIndexOf(sep)); });
    return { head: value.slice(0, cut + 1), term: value.slice(cut + 1).trim() };
  }

  document.querySelectorAll("[data-concept-combobox]").forEach(function (box, n) {
    var input = box.querySelector("[data-combobox-input]");
    var status = box.querySelector("[data-combobox-status]");

    listbox.attach(input, box.querySelector("[data-combobox-list]"), {
      idPrefix: "concept-combobox-" + n + "-",
      delay: 150,
      status: status,
      messages: box.dataset, // found, empty; no "failed": typing still works without suggestions
      activateFirst: true,
      enterSubmits: true,
      query: function () { return split(input.value).term; },
      url: function (term) { return box.dataset.api + "?q=" + encodeURIComponent(term.slice(0, 200)); },
      items: function (body) { return body.concepts; },
      renderOption: function (option, item) {
        var label = document.createElement("span");
        label.className = "concept-combobox__label";
        label.textContent = item.label_zh;
        option.appendChild(label);
        if (item.label_en) {
          var en = document.createElement("span");
          en.className = "concept-combobox__en";
          en.textContent = item.label_en;
          option.appendChild(en);
        }
        if (item.matched) {
          var alias = document.createElement("span");
          alias.className = "concept-combobox__alias";
          alias.textContent = box.dataset.alias + "：" + item.matched;
          option.appendChild(alias);
        }
      },
      onPick: function (item) {
        input.value = split(input.value).head + item.label_zh + "，";
        input.removeAttribute("aria-invalid");
        status.textContent = item.label_zh;
        input.focus();
        input.setSelectionRange(input.value.length, input.value.length);
      }
    });
  });
})();
