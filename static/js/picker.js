/* Pickers for the reader's annotator forms, over the search API.
 *
 * [data-picker]: a search box (ARIA combobox) over passages; choosing a hit fills the form's
 * fields named by data-fill-paper and data-fill-order (they stay editable), then focuses
 * the field named by data-focus-after.
 * [data-concept-suggest]: fills the input's <datalist> with concept identifiers for the term
 * after the last comma (a comma-separated list keeps its head).
 */
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

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

  function search(api, query) {
    return fetch(api + "?q=" + encodeURIComponent(query), { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
  }

  document.querySelectorAll("[data-picker]").forEach(function (picker, n) {
    var input = picker.querySelector("[data-picker-input]");
    var list = picker.querySelector("[data-picker-list]");
    var status = picker.querySelector("[data-picker-status]");
    var form = picker.closest("form");
    var hits = [];
    var active = -1;
    var asked = 0;

    function setOpen(open) {
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) {
        active = -1;
        input.removeAttribute("aria-activedescendant");
      }
    }

    function highlight(index) {
      active = index;
      list.querySelectorAll("[role=option]").forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
        if (i === index) {
          input.setAttribute("aria-activedescendant", option.id);
          option.scrollIntoView({ block: "nearest" });
        }
      });
    }

    function choose(index) {
      var hit = hits[index];
      if (!hit) return;
      if (picker.dataset.fillPaper) form.elements[picker.dataset.fillPaper].value = hit.paper_id;
      form.elements[picker.dataset.fillOrder].value = hit.order;
      status.textContent = picker.dataset.chosen + plainText(hit.title) + " ¶ " + hit.order;
      input.value = "";
      setOpen(false);
      if (picker.dataset.focusAfter) form.elements[picker.dataset.focusAfter].focus();
    }

    function render(body) {
      hits = body.hits.filter(function (hit) { return hit.paper_id && hit.order !== null; });
      list.replaceChildren();
      hits.forEach(function (hit, i) {
        var option = document.createElement("li");
        option.id = "picker-" + n + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.index = String(i);
        var where = document.createElement("span");
        where.className = "picker__where";
        where.appendChild(markedText(hit.title));
        where.appendChild(document.createTextNode(" ¶ " + hit.order));
        var snippet = document.createElement("span");
        snippet.className = "picker__snippet";
        snippet.appendChild(markedText(hit.snippet));
        option.append(where, snippet);
        list.appendChild(option);
      });
      status.textContent = hits.length ? picker.dataset.found.replace("{n}", body.total) : picker.dataset.empty;
      setOpen(hits.length > 0);
    }

    input.addEventListener("input", debounce(function () {
      var query = input.value.trim();
      if (query.length < 2) {
        setOpen(false);
        return;
      }
      var mine = ++asked;
      // The scope first, and the words cut short: the query parser keeps only its first 500
      // characters, and a pasted paragraph must not push the scope out.
      search(picker.dataset.pickerApi, picker.dataset.pickerScope + " " + query.slice(0, 300))
        .then(function (body) { if (mine === asked) render(body); })
        .catch(function () { if (mine === asked) { setOpen(false); status.textContent = picker.dataset.failed; } });
    }, 200));

    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault(); // never submits the form half-filled
      if (list.hidden) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(Math.min(active + 1, hits.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && active >= 0) {
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation(); // closes the list, not the annotator
        setOpen(false);
      }
    });

    list.addEventListener("mousedown", function (event) { event.preventDefault(); }); // keep the focus
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) choose(Number(option.dataset.index));
    });
  });

  document.querySelectorAll("[data-concept-suggest]").forEach(function (input) {
    var datalist = document.getElementById(input.getAttribute("list"));
    var asked = 0;
    input.addEventListener("input", debounce(function () {
      var terms = input.value.split(/[,，]/);
      var term = terms.pop().trim();
      var head = terms.length ? terms.join(",") + "," : "";
      if (!term) return;
      var mine = ++asked;
      search(input.dataset.conceptSuggest, term + " type:concept").then(function (body) {
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
