/* Pickers for the reader's annotator forms, over the search API.
 *
 * [data-picker]: a search box (an ARIA combobox, static/js/listbox.js) over passages; choosing
 * a hit fills the form's fields named by data-fill-paper and data-fill-order (they stay
 * editable), then focuses the field named by data-focus-after.
 * [data-concept-suggest]: fills the input's <datalist> with concept identifiers for the term
 * after the last comma (a comma-separated list keeps its head).
 */
(function () {
  "use strict";

  var listbox = window.TanyuanListbox; // static/js/listbox.js, loaded first
  if (!listbox) return;

  // The API's snippets are escaped, then marked; keep only text and <mark> all the same.
  function markedText(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var out = document.createDocumentFragment();
    template.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function plainText(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content.textContent;
  }

  function searchUrl(api, query) {
    return api + "?q=" + encodeURIComponent(query);
  }

  document.querySelectorAll("[data-picker]").forEach(function (picker, n) {
    var input = picker.querySelector("[data-picker-input]");
    var status = picker.querySelector("[data-picker-status]");
    var form = picker.closest("form");

    listbox.attach(input, picker.querySelector("[data-picker-list]"), {
      idPrefix: "picker-" + n + "-",
      status: status,
      messages: picker.dataset,
      query: function () {
        var query = input.value.trim();
        return query.length < 2 ? "" : query;
      },
      // The scope first, and the words cut short: the query parser keeps only its first 500
      // characters, and a pasted paragraph must not push the scope out.
      url: function (query) {
        return searchUrl(picker.dataset.pickerApi, picker.dataset.pickerScope + " " + query.slice(0, 300));
      },
      items: function (body) {
        return body.hits.filter(function (hit) { return hit.paper_id && hit.order !== null; });
      },
      count: function (body) { return body.total; },
      renderOption: function (option, hit) {
        var where = document.createElement("span");
        where.className = "picker__where";
        where.appendChild(markedText(hit.title));
        where.appendChild(document.createTextNode(" ¶ " + hit.order));
        var snippet = document.createElement("span");
        snippet.className = "picker__snippet";
        snippet.appendChild(markedText(hit.snippet));
        option.append(where, snippet);
      },
      onPick: function (hit) {
        if (picker.dataset.fillPaper) form.elements[picker.dataset.fillPaper].value = hit.paper_id;
        form.elements[picker.dataset.fillOrder].value = hit.order;
        status.textContent = picker.dataset.chosen + plainText(hit.title) + " ¶ " + hit.order;
        input.value = "";
        if (picker.dataset.focusAfter) form.elements[picker.dataset.focusAfter].focus();
      }
    });
  });

  document.querySelectorAll("[data-concept-suggest]").forEach(function (input) {
    var datalist = document.getElementById(input.getAttribute("list"));
    var asked = 0;
    input.addEventListener("input", listbox.debounce(function () {
      var terms = input.value.split(/[,，]/);
      var term = terms.pop().trim();
      var head = terms.length ? terms.join(",") + "," : "";
      if (!term) return;
      var mine = ++asked;
      listbox.getJSON(searchUrl(input.dataset.conceptSuggest, term + " type:concept")).then(function (body) {
        if (mine !== asked) return;
        datalist.replaceChildren();
        body.hits.forEach(function (hit) {
          if (!hit.slug) return;
          var option = document.createElement("option");
          option.value = head + hit.slug;
          option.label = plainText(hit.title);
          datalist.appendChild(option);
        });
      }).catch(function () { /* suggestions are optional: typing still works */ });
    }, 200));
  });
})();
