/* Reader popovers: pointing at or focusing a footnote marker, a citation [n] or a highlight shows
 * its footnote, reference entry or note in place. The content is already on the page (the
 * footnote and reference passages, the margin's annotation cards): it is cloned, never fetched,
 * and cloned as inert text (links become plain spans, ids and controls are dropped).
 * Keyboard: markers are links, highlights get tabindex=0; focus opens, Escape closes. Touch: the
 * first tap on a marker opens its popover, a second tap follows the link.
 * The links back (↩ a b c) from a note return focus to the marker that cites it. */
(function () {
  "use strict";
  var column = document.querySelector(".reading-column");
  if (!column) return;
  var labels = (document.getElementById("popover-labels") || {}).dataset || {};
  var TRIGGERS = "a.cite[data-popover], mark[data-annotation]";
  var pop = document.createElement("div");
  pop.id = "reader-popover";
  pop.className = "popover";
  pop.setAttribute("role", "tooltip");
  pop.hidden = true;
  document.body.appendChild(pop);
  var current = null;
  var showTimer = 0;
  var hideTimer = 0;
  var lastPointer = "mouse";

  function triggerOf(node) {
    var el = node && node.nodeType === 1 ? node : node && node.parentElement;
    return el && el.closest ? el.closest(TRIGGERS) : null;
  }

  function inert(source) {
    var clone = source.cloneNode(true);
    clone.querySelectorAll(".passage__anchor, .backlinks, button, form, details, script").forEach(function (el) { el.remove(); });
    clone.querySelectorAll("a").forEach(function (a) {
      var span = document.createElement("span");
      span.className = a.className;
      if (a.dataset.note) span.dataset.note = a.dataset.note;
      while (a.firstChild) span.appendChild(a.firstChild);
      a.replaceWith(span);
    });
    [clone].concat(Array.from(clone.querySelectorAll("[id], [tabindex]"))).forEach(function (el) {
      el.removeAttribute("id");
      el.removeAttribute("tabindex");
    });
    return clone;
  }

  function content(trigger) {
    var box = document.createElement("div");
    var label = document.createElement("span");
    label.className = "popover__label";
    var body = document.createElement("div");
    body.className = "popover__body";
    if (trigger.matches("a.cite")) {
      var target = document.getElementById(trigger.dataset.popover);
      if (!target) return null;
      label.textContent = trigger.dataset.note
        ? (labels.note || "Note {n}").replace("{n}", trigger.dataset.note)
        : labels.reference || "Reference";
      var inner = inert(target);
      while (inner.firstChild) body.appendChild(inner.firstChild);
    } else {
      var card = document.getElementById("annotation-" + trigger.dataset.annotation);
      if (!card) return null;
      label.textContent = labels.annotation || "Note";
      var parts = card.querySelectorAll(".anno-card__body, .anno-card__tags, .anno-card__concept");
      parts.forEach(function (part) {
        if (part.closest(".anno-replies")) return;
        body.appendChild(inert(part));
      });
      if (!body.childNodes.length) {
        var empty = document.createElement("p");
        empty.textContent = labels.highlightOnly || "Highlight";
        body.appendChild(empty);
      }
    }
    box.append(label, body);
    return box;
  }

  function place(trigger) {
    var rect = trigger.getBoundingClientRect();
    var width = pop.offsetWidth;
    var height = pop.offsetHeight;
    var left = Math.min(Math.max(4, rect.left), Math.max(4, document.documentElement.clientWidth - width - 4));
    var below = rect.bottom + 6;
    var top = below + height > window.innerHeight && rect.top - height - 6 > 0 ? rect.top - height - 6 : below;
    pop.style.left = left + window.scrollX + "px";
    pop.style.top = top + window.scrollY + "px";
  }

  function show(trigger) {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (current === trigger && !pop.hidden) return;
    var box = content(trigger);
    if (!box) return;
    hide();
    pop.replaceChildren(box);
    pop.hidden = false;
    place(trigger);
    current = trigger;
    trigger.setAttribute("aria-describedby", pop.id);
  }

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    pop.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
  }

  function hideSoon() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250);
  }

  function focusable() {
    document.querySelectorAll("mark[data-annotation]:not([tabindex])").forEach(function (mark) {
      mark.tabIndex = 0;
    });
  }

  // Whether a touched marker's popover was already open, read before the tap's focus opens it.
  var openBeforeTap = false;
  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType || "mouse";
    var trigger = triggerOf(event.target);
    openBeforeTap = Boolean(trigger) && trigger === current && !pop.hidden;
  }, true);

  document.addEventListener("mouseover", function (event) {
    if (lastPointer === "touch") return;
    var trigger = triggerOf(event.target);
    if (trigger) {
      clearTimeout(hideTimer);
      clearTimeout(showTimer);
      showTimer = setTimeout(function () { show(trigger); }, 120);
    } else if (pop.contains(event.target)) {
      clearTimeout(hideTimer);
    }
  });

  document.addEventListener("mouseout", function (event) {
    if (!current && !showTimer) return;
    var to = event.relatedTarget;
    if (to && (pop.contains(to) || (current && current.contains(to)))) return;
    if (triggerOf(event.target) || pop.contains(event.target)) hideSoon();
  });

  document.addEventListener("focusin", function (event) {
    var trigger = triggerOf(event.target);
    if (trigger && trigger === event.target) show(trigger);
    else if (current) hide();
  });

  document.addEventListener("focusout", function (event) {
    if (current && event.target === current) hideSoon();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !pop.hidden) {
      hide();
      event.preventDefault();
    }
  });

  // Capture: runs before the other readers' click handlers, so a first tap only opens the popover.
  document.addEventListener("click", function (event) {
    var back = event.target.closest && event.target.closest("a[data-backlink]");
    if (back) {
      var marker = document.getElementById(back.dataset.backlink);
      if (!marker) return;
      event.preventDefault();
      hide();
      history.pushState(null, "", "#" + marker.id);
      marker.scrollIntoView({ block: "center" });
      marker.focus({ preventScroll: true });
      marker.classList.add("is-returned");
      setTimeout(function () { marker.classList.remove("is-returned"); }, 2000);
      return;
    }
    var trigger = triggerOf(event.target);
    if (trigger && lastPointer === "touch" && !openBeforeTap) {
      event.preventDefault();
      event.stopPropagation();
      show(trigger);
      return;
    }
    if (!trigger && !pop.contains(event.target)) hide();
    if (trigger && trigger.matches("a.cite")) {
      // Following a marker: focus lands on the note, whose ↩ links lead back here.
      var note = document.getElementById(trigger.dataset.popover);
      hide();
      if (note) {
        setTimeout(function () {
          note.tabIndex = -1;
          note.focus({ preventScroll: true });
        }, 0);
      }
    }
  }, true);

  window.addEventListener("resize", hide);
  document.addEventListener("annotations:refreshed", focusable);
  focusable();
})();
