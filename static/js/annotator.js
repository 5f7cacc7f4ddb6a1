/* The reader's annotator (editors only): select text in a passage, then highlight,
 * comment, tag, link a concept, propose a claim or make a cross-reference.
 *
 * Progressive enhancement: the reader, its highlights and the margin are server
 * rendered; this script only adds the toolbar. The selection (code-point offsets
 * within a passage and the quote) comes from selection.js, as for every reader tool.
 * The CSRF token is read from the annotator's data attribute (or the cookie).
 */
(function () {
  "use strict";

  var root = document.getElementById("annotator");
  if (!root) return;
  var toolbar = root.querySelector(".annotator__toolbar");
  var forms = root.querySelectorAll(".annotator__form");
  var tagList = document.getElementById("annotator-tags");
  var current = null; // {passage, start, end, exact, range}
  var swatches = Array.from(toolbar.querySelectorAll("button[data-color]"));
  var COLOR_KEY = "tanyuan.highlightColor";

  // The colour last picked (remembered in this browser), marked as pressed in the palette.
  function pickedColor() {
    var stored = "";
    try { stored = window.localStorage.getItem(COLOR_KEY) || ""; } catch (e) { stored = ""; }
    return swatches.some(function (b) { return b.dataset.color === stored; }) ? stored : (swatches.length ? swatches[0].dataset.color : "");
  }
  function pickColor(color) {
    try { window.localStorage.setItem(COLOR_KEY, color); } catch (e) { /* private mode: not remembered */ }
    swatches.forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.color === color)); });
  }
  pickColor(pickedColor());

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return root.dataset.csrf || (match ? decodeURIComponent(match[1]) : "");
  }

  var selection = window.TanyuanSelection;

  // A selection inside the annotator itself (its forms) is not a new quote.
  function readSelection() {
    var selected = selection.read();
    var range = window.getSelection().rangeCount ? window.getSelection().getRangeAt(0) : null;
    if (!selected || (range && root.contains(range.startContainer))) return null;
    return selected;
  }

  function place(rect) {
    root.hidden = false;
    var top = window.scrollY + rect.bottom + 8;
    var left = Math.max(8, Math.min(window.scrollX + rect.left, window.scrollX + document.documentElement.clientWidth - root.offsetWidth - 8));
    root.style.top = top + "px";
    root.style.left = left + "px";
  }

  function hideForms() {
    forms.forEach(function (form) { form.hidden = true; form.querySelector("[data-error]").textContent = ""; });
  }

  function close() {
    root.hidden = true;
    toolbar.hidden = false;
    hideForms();
    current = null;
  }

  function onSelectionChange() {
    if (root.contains(document.activeElement) && !toolbar.contains(document.activeElement)) return;
    var selected = readSelection();
    if (!selected) {
      if (!root.contains(document.activeElement)) close();
      return;
    }
    current = selected;
    toolbar.hidden = false;
    hideForms();
    place(selected.rect);
  }

  selection.onChange(onSelectionChange);

  // Keep the selection when a toolbar button is pressed with the mouse.
  toolbar.addEventListener("mousedown", function (event) { event.preventDefault(); });

  // Arrow keys move along the toolbar; Escape closes; Alt+Shift+A jumps into the toolbar.
  toolbar.addEventListener("keydown", function (event) {
    // 1–8: highlight in that colour of the palette.
    if (/^[1-8]$/.test(event.key) && !event.altKey && !event.ctrlKey && !event.metaKey && swatches[Number(event.key) - 1]) {
      event.preventDefault();
      swatches[Number(event.key) - 1].click();
      return;
    }
    var buttons = Array.from(toolbar.querySelectorAll("button"));
    var i = buttons.indexOf(document.activeElement);
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      event.preventDefault();
      var next = (i + (event.key === "ArrowRight" ? 1 : buttons.length - 1)) % buttons.length;
      buttons[next].focus();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !root.hidden) { close(); return; }
    if (event.altKey && event.shiftKey && (event.key === "A" || event.key === "a") && current) {
      event.preventDefault();
      toolbar.querySelector("button").focus();
    }
  });

  function request(url, method, data) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: data === undefined ? undefined : JSON.stringify(data)
    }).then(function (response) {
      if (response.status === 204) return {};
      return response.json().then(function (body) {
        if (!response.ok) throw new Error((body.errors || [response.statusText]).join(" "));
        return body;
      });
    });
  }

  // Wrap code points start..end of the passage in <mark>s (marks may cross elements).
  function wrap(passageEl, start, end, attrs) {
    selection.wrap(passageEl, start, end, function () {
      var mark = document.createElement("mark");
      Object.keys(attrs).forEach(function (name) { mark.setAttribute(name, attrs[name]); });
      return mark;
    });
  }

  function refreshMargin() {
    var margin = document.getElementById("annotation-margin");
    if (!margin) return Promise.resolve();
    return fetch(margin.dataset.marginUrl, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("annotation-margin");
        if (fresh) margin.replaceWith(fresh);
        document.dispatchEvent(new CustomEvent("annotations:refreshed"));
      });
  }

  function selectionPayload() {
    return { passage: current.passage, start: current.start, end: current.end, exact: current.exact };
  }

  function saved(annotation) {
    var attrs = {
      "class": "anno anno--" + annotation.visibility + (annotation.color ? " anno--c-" + annotation.color : ""),
      "data-annotation": String(annotation.id)
    };
    var swatch = swatches.filter(function (b) { return b.dataset.color === annotation.color; })[0];
    if (swatch) attrs.title = swatch.dataset.title;
    wrap(current.passageEl, annotation.passage_start, annotation.passage_end, attrs);
    window.getSelection().removeAllRanges();
    close();
    return refreshMargin();
  }

  function openForm(name, parts) {
    toolbar.hidden = true;
    hideForms();
    var form = root.querySelector('[data-form="' + name + '"]');
    form.hidden = false;
    form.querySelector("[data-quote]").textContent = "“" + current.exact + "”";
    form.querySelectorAll("[data-part]").forEach(function (part) {
      part.hidden = parts ? parts.indexOf(part.dataset.part) === -1 : false;
    });
    form.dataset.parts = parts ? parts.join(",") : "";
    if (form.elements.color) form.elements.color.value = pickedColor();
    var first = form.querySelector("label:not([hidden]) textarea, label:not([hidden]) input, select");
    if (first) first.focus();
  }

  toolbar.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button || !current) return;
    var action = button.dataset.action;
    if (action === "color") pickColor(button.dataset.color);
    if (action === "highlight" || action === "color") {
      var data = selectionPayload();
      data.visibility = "private";
      data.color = pickedColor();
      request(root.dataset.api, "POST", data).then(saved).catch(function (error) { window.alert(error.message); });
    } else if (action === "comment") {
      openForm("annotation", ["body", "tags"]);
    } else if (action === "tag") {
      openForm("annotation", ["tags"]);
    } else if (action === "concept") {
      openForm("annotation", ["concept", "body"]);
    } else if (action === "claim") {
      openForm("claim");
      root.querySelector('[data-form="claim"] textarea').value = current.exact;
    } else if (action === "crossref") {
      openForm("crossref");
    }
  });

  function fail(form) {
    return function (error) { form.querySelector("[data-error]").textContent = error.message; };
  }

  root.querySelector('[data-form="annotation"]').addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    var parts = form.dataset.parts.split(",");
    var data = selectionPayload();
    data.visibility = form.elements.visibility.value;
    if (parts.indexOf("body") !== -1) data.body = form.elements.body.value;
    if (parts.indexOf("tags") !== -1) data.tags = form.elements.tags.value;
    if (parts.indexOf("concept") !== -1) data.concept = form.elements.concept.value.trim();
    if (form.elements.color) data.color = form.elements.color.value;
    request(root.dataset.api, "POST", data).then(function (annotation) {
      form.reset();
      return saved(annotation);
    }).catch(fail(form));
  });

  root.querySelector('[data-form="claim"]').addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    var existing = form.elements.existing ? form.elements.existing.value : "";
    if (existing) {
      request(existing, "POST", selectionPayload())
        .then(function (claim) { window.location.assign(claim.url); }).catch(fail(form));
      return;
    }
    var concepts = form.elements.concepts.value.split(/[,，]/).map(function (s) { return s.trim(); }).filter(Boolean);
    request(root.dataset.claimsApi, "POST", {
      statement: form.elements.statement.value,
      kind: form.elements.kind.value,
      concepts: concepts,
      evidence: [selectionPayload()]
    }).then(function (claim) { window.location.assign(claim.url); }).catch(fail(form));
  });

  root.querySelector('[data-form="crossref"]').addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    var anchor = current.passageEl.id;
    request(root.dataset.crossrefsApi, "POST", {
      passage: current.passage,
      target_paper: form.elements.target_paper.value,
      target_order: form.elements.target_order.value,
      relation: form.elements.relation.value,
      note: form.elements.note.value
    }).then(function () {
      // The cross-references column is drawn with the page: reload it, back at this passage.
      form.reset();
      close();
      if (anchor) window.history.replaceState(null, "", "#" + anchor);
      window.location.reload();
    }).catch(fail(form));
  });

  root.querySelectorAll("[data-cancel]").forEach(function (button) {
    button.addEventListener("click", close);
  });

  // Tag autocomplete: suggest for the term after the last comma.
  var tagInput = root.querySelector('input[name="tags"]');
  var tagTimer = null;
  tagInput.addEventListener("input", function () {
    clearTimeout(tagTimer);
    tagTimer = setTimeout(function () {
      var terms = tagInput.value.split(/[,，]/);
      var term = terms.pop().trim();
      var head = terms.length ? terms.join(",") + "," : "";
      fetch(root.dataset.tagsApi + "?q=" + encodeURIComponent(term), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (body) {
          tagList.replaceChildren();
          body.tags.forEach(function (name) {
            var option = document.createElement("option");
            option.value = head + name;
            tagList.appendChild(option);
          });
        });
    }, 200);
  });

  // Deleting one's own annotation from the margin.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-delete-annotation]");
    if (!button || !window.confirm(button.textContent.trim() + "？")) return;
    request(button.dataset.url, "DELETE").then(function () {
      document.querySelectorAll('mark[data-annotation="' + button.dataset.deleteAnnotation + '"]').forEach(function (mark) {
        mark.replaceWith.apply(mark, Array.from(mark.childNodes));
      });
      return refreshMargin();
    }).catch(function (error) { window.alert(error.message); });
  });
})();
