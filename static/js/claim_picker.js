/* "作为证据添加到论断…" in the reader's annotator (editors): the selected quote becomes evidence,
 * with a stance, for any claim one can see, whatever paper the claim was made on.
 *
 * The toolbar button [data-action="evidence"] opens the form [data-claim-picker]
 * (templates/kb/_claim_evidence_form.html). Its search box is an ARIA combobox (static/js/listbox.js)
 * over the claim search endpoint
 * (data-api → {claims: [{id, statement, paper, status_label, url, evidence_api}]}),
 * used like the cross-reference picker: type, ↓ ↑, Enter (or a click), Escape closes the list.
 * The quote is read through selection.js, the reader's one selection module, when the button
 * is pressed. The form posts {passage, start, end, exact, stance} to the chosen claim's
 * evidence URL and then links to the claim page.
 */
(function () {
  "use strict";

  var root = document.getElementById("annotator");
  var form = root && root.querySelector("[data-claim-picker]");
  var selection = window.TanyuanSelection;
  var listbox = window.TanyuanListbox; // static/js/listbox.js, loaded first
  if (!form || !selection || !listbox) return;

  var toolbar = root.querySelector(".annotator__toolbar");
  var input = form.querySelector("[data-claim-picker-input]");
  var status = form.querySelector("[data-claim-picker-status]");
  var error = form.querySelector("[data-error]");
  var done = form.querySelector("[data-claim-picker-done]");
  var submit = form.querySelector("button[type=submit]");
  var quote = null; // {passage, start, end, exact}
  var last = null; // the latest selection in a passage, in case the button took it away
  var chosen = null;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return root.dataset.csrf || (match ? decodeURIComponent(match[1]) : "");
  }

  selection.onChange(function (selected) {
    if (selected && !root.contains(selected.passageEl)) last = selected;
  });

  var picker = listbox.attach(input, form.querySelector("[data-claim-picker-list]"), {
    idPrefix: "claim-picker-option-",
    status: status,
    messages: form.dataset,
    query: function () { return input.value.trim(); },
    url: function (query) { return form.dataset.api + "?q=" + encodeURIComponent(query.slice(0, 200)); },
    items: function (body) { return body.claims; },
    renderOption: function (option, claim) {
      var statement = document.createElement("span");
      statement.className = "picker__snippet";
      statement.textContent = claim.statement;
      var where = document.createElement("span");
      where.className = "picker__where";
      where.textContent = claim.paper + " · " + claim.status_label;
      option.append(statement, where);
    },
    onPick: function (claim) {
      chosen = claim;
      form.elements.claim_api.value = claim.evidence_api;
      status.textContent = form.dataset.chosen + claim.statement + "（" + claim.paper + "）";
      error.textContent = "";
      input.value = "";
      form.elements.stance.focus();
    }
  });

  function reset() {
    chosen = null;
    input.value = "";
    status.textContent = "";
    error.textContent = "";
    done.hidden = true;
    done.replaceChildren();
    submit.disabled = false;
    form.elements.claim_api.value = "";
    picker.clear();
  }

  function open() {
    var selected = selection.read() || last;
    if (!selected) return;
    quote = { passage: selected.passage, start: selected.start, end: selected.end, exact: selected.exact };
    toolbar.hidden = true;
    root.querySelectorAll(".annotator__form").forEach(function (other) { other.hidden = true; });
    reset();
    form.hidden = false;
    form.querySelector("[data-quote]").textContent = "“" + quote.exact + "”";
    input.focus();
  }

  toolbar.addEventListener("click", function (event) {
    if (event.target.closest('button[data-action="evidence"]')) open();
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!chosen || !quote) {
      error.textContent = form.dataset.needClaim;
      input.focus();
      return;
    }
    submit.disabled = true;
    error.textContent = "";
    var data = { passage: quote.passage, start: quote.start, end: quote.end, exact: quote.exact, stance: form.elements.stance.value };
    fetch(chosen.evidence_api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(data)
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error((body.errors || [response.statusText]).join(" "));
        return body;
      });
    }).then(function (body) {
      var link = document.createElement("a");
      link.href = body.url;
      link.textContent = form.dataset.openClaim;
      done.replaceChildren(document.createTextNode(form.dataset.added + " "), link);
      done.hidden = false;
      link.focus();
    }).catch(function (failure) {
      submit.disabled = false;
      error.textContent = failure.message;
    });
  });
})();
