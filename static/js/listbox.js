/* The reader's keyboard pickers: one ARIA 1.2 combobox over a listbox of suggestions
 * (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/), shared by picker.js (cross-reference
 * passages), claim_picker.js (claims to add evidence to) and concept_combobox.js (concepts).
 *
 * window.TanyuanListbox.attach(input, list, options) wires an <input role=combobox> to its
 * <ul role=listbox>: typing asks a JSON endpoint (debounced, only the latest answer counts),
 * the answer is rendered as <li role=option> (id, aria-selected, data-index), ↓ ↑ move the
 * active option (aria-activedescendant), Enter or a click picks it, Escape closes the list
 * without closing what holds it (the annotator), Tab or leaving the field closes it too.
 * ↓ on a closed list opens it again. Enter never submits the form half-filled unless
 * options.enterSubmits is set, and then only when no option is active.
 *
 * options:
 *   query()                   the text to search for, "" to close the list and ask nothing;
 *   url(query)                the endpoint to ask (GET, JSON, same-origin credentials);
 *   items(body)               the suggestions in the answer;
 *   renderOption(li, item, i) fills an option (the module sets its id, role and state);
 *   onPick(item, i)           called once the list is closed;
 *   idPrefix                  option ids are idPrefix + i (default: the list's id + "-");
 *   delay                     the debounce, in ms (default 200);
 *   status, messages          an aria-live element, and {found: "… {n} …", empty, failed}
 *                             (e.g. a container's dataset); a missing message leaves it as is;
 *   count(body, items)        the {n} of messages.found (default: the number of items);
 *   activateFirst             the first option is active as soon as the list opens.
 * Returns {clear(), close(), isOpen()}.
 */
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer = null;
    function later() {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    }
    later.cancel = function () { clearTimeout(timer); };
    return later;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
  }

  function attach(input, list, options) {
    var status = options.status || null;
    var messages = options.messages || {};
    var idPrefix = options.idPrefix || list.id + "-";
    var items = [];
    var active = -1;
    var asked = 0;

    function say(text) {
      if (status && text !== undefined) status.textContent = text;
    }

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

    function pick(index) {
      var item = items[index];
      if (!item) return;
      setOpen(false);
      options.onPick(item, index);
    }

    function render(body) {
      items = options.items(body) || [];
      list.replaceChildren();
      items.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = idPrefix + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.index = String(i);
        options.renderOption(option, item, i);
        list.appendChild(option);
      });
      var n = options.count ? options.count(body, items) : items.length;
      say(items.length ? messages.found && messages.found.replace("{n}", n) : messages.empty);
      setOpen(items.length > 0);
      if (items.length && options.activateFirst) highlight(0);
    }

    var ask = debounce(function () {
      var query = options.query();
      if (!query) {
        setOpen(false);
        return;
      }
      var mine = ++asked;
      getJSON(options.url(query))
        .then(function (body) { if (mine === asked) render(body); })
        .catch(function () {
          if (mine !== asked) return;
          setOpen(false);
          say(messages.failed); // without suggestions, the field still works as typed
        });
    }, options.delay || 200);

    input.addEventListener("input", ask);

    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !options.enterSubmits) event.preventDefault();
      if (list.hidden) {
        if (event.key === "ArrowDown" && items.length && options.query()) {
          event.preventDefault();
          setOpen(true);
          highlight(0);
        }
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault(); // takes the option; with enterSubmits, a second Enter submits
        pick(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation(); // closes the list, not the annotator
        setOpen(false);
      } else if (event.key === "Tab") {
        setOpen(false);
      }
    });

    input.addEventListener("blur", function () {
      ask.cancel();
      asked++; // an answer still on its way opens nothing once the field is left
      setOpen(false);
    });
    list.addEventListener("mousedown", function (event) { event.preventDefault(); }); // keep the focus
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) pick(Number(option.dataset.index));
    });

    return {
      clear: function () {
        ask.cancel();
        asked++;
        items = [];
        list.replaceChildren();
        setOpen(false);
      },
      close: function () { setOpen(false); },
      isOpen: function () { return !list.hidden; }
    };
  }

  window.TanyuanListbox = { attach: attach, debounce: debounce, getJSON: getJSON };
})();
