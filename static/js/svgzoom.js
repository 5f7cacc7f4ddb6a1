/* Zoom and pan for the server-rendered SVG graphs (concept, paper–concept and claim graphs).

   Markup: a container with [data-svgzoom] holding one <svg viewBox> and, optionally, buttons
   [data-zoom="in" | "out" | "reset"] and an <output data-zoom-level>. Everything works by
   rewriting the SVG's viewBox, so the drawing stays crisp and its links stay links.

   - Mouse: the wheel zooms about the pointer; dragging pans (a drag never follows a link).
   - Touch and pen (pointer events): one finger pans, two fingers pinch-zoom.
   - Keyboard, with the drawing or one of its nodes focused: + / − zoom, arrow keys pan,
     0 resets. Ctrl/Cmd with + / − is left to the browser's own zoom.
   - Labels the server could not place without overlaps (text.label--hover) are shown on
     hover or focus of their node, drawn above every other node.
   No framework, no dependencies; loaded with <script defer>. */
(function () {
  "use strict";

  var MIN_SCALE = 0.5;
  var MAX_SCALE = 12;
  var STEP = 1.4;
  var DRAG_THRESHOLD = 4;  // px before a press becomes a drag

  function setup(root) {
    var svg = root.querySelector("svg");
    if (!svg || !svg.viewBox || !svg.viewBox.baseVal || !svg.viewBox.baseVal.width) { return; }
    var base = svg.viewBox.baseVal;
    // The server may open the drawing zoomed on a node (?focus=…): data-home is the whole drawing.
    var whole = (svg.getAttribute("data-home") || "").split(/[\s,]+/).map(Number);
    var home = whole.length === 4 && whole[2] > 0 && whole[3] > 0 && whole.every(isFinite)
      ? { x: whole[0], y: whole[1], w: whole[2], h: whole[3] }
      : { x: base.x, y: base.y, w: base.width, h: base.height };
    var view = { x: base.x, y: base.y, w: base.width, h: base.height };
    var level = root.querySelector("[data-zoom-level]");
    root.classList.add("svgzoom--on");
    root.querySelectorAll(".zoom-bar[hidden]").forEach(function (bar) { bar.hidden = false; });

    function render() {
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (v) {
        return Math.round(v * 100) / 100;
      }).join(" "));
      if (level) { level.textContent = Math.round(home.w / view.w * 100) + "%"; }
    }

    function clampCentre() {
      // The centre of the view stays over the drawing, so it can never be lost off-screen.
      var cx = Math.min(Math.max(view.x + view.w / 2, home.x), home.x + home.w);
      var cy = Math.min(Math.max(view.y + view.h / 2, home.y), home.y + home.h);
      view.x = cx - view.w / 2;
      view.y = cy - view.h / 2;
    }

    // Zoom by `factor` (> 1: in) keeping the point (ux, uy), in drawing units, where it is.
    function zoomAt(factor, ux, uy) {
      var scale = Math.min(Math.max(home.w / view.w * factor, MIN_SCALE), MAX_SCALE);
      var w = home.w / scale;
      var h = home.h / scale;
      view.x = ux - (ux - view.x) * (w / view.w);
      view.y = uy - (uy - view.y) * (h / view.h);
      view.w = w;
      view.h = h;
      clampCentre();
      render();
    }

    function zoomCentre(factor) {
      zoomAt(factor, view.x + view.w / 2, view.y + view.h / 2);
    }

    function pan(dx, dy) {  // in drawing units
      view.x += dx;
      view.y += dy;
      clampCentre();
      render();
    }

    function reset() {
      view = { x: home.x, y: home.y, w: home.w, h: home.h };
      render();
    }

    // Screen pixels per drawing unit, and the drawing's offset inside the element
    // (preserveAspectRatio "xMidYMid meet", the default).
    function metrics() {
      var rect = svg.getBoundingClientRect();
      var s = Math.min(rect.width / view.w, rect.height / view.h) || 1;
      return {
        s: s,
        left: rect.left + (rect.width - view.w * s) / 2,
        top: rect.top + (rect.height - view.h * s) / 2
      };
    }

    function toDrawing(clientX, clientY) {
      var m = metrics();
      return { x: view.x + (clientX - m.left) / m.s, y: view.y + (clientY - m.top) / m.s };
    }

    svg.addEventListener("wheel", function (event) {
      if (event.ctrlKey && !event.deltaY) { return; }
      event.preventDefault();
      var unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1;
      var factor = Math.exp(-event.deltaY * unit * 0.0015);
      var p = toDrawing(event.clientX, event.clientY);
      zoomAt(factor, p.x, p.y);
    }, { passive: false });

    // --- Pointers: drag to pan, pinch to zoom ------------------------------------------
    var pointers = new Map();
    var dragged = false;
    var pinch = null;

    function centroid() {
      var xs = 0, ys = 0;
      pointers.forEach(function (p) { xs += p.x; ys += p.y; });
      return { x: xs / pointers.size, y: ys / pointers.size };
    }

    function spread() {
      var ps = Array.from(pointers.values());
      return Math.hypot(ps[0].x - ps[1].x, ps[0].y - ps[1].y) || 1;
    }

    function capture(id) {
      try {
        if (!svg.hasPointerCapture(id)) { svg.setPointerCapture(id); }
      } catch (e) {
        // A pointer that is no longer active (lifted between events) cannot be captured; ignore it.
      }
    }

    svg.addEventListener("pointerdown", function (event) {
      if (event.pointerType === "mouse" && event.button !== 0) { return; }
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY, x0: event.clientX, y0: event.clientY });
      dragged = false;
      if (pointers.size === 2) {
        pinch = { spread: spread(), centre: centroid() };
        dragged = true;
        pointers.forEach(function (_, id) { capture(id); });
      }
    });

    svg.addEventListener("pointermove", function (event) {
      var p = pointers.get(event.pointerId);
      if (!p) { return; }
      var dx = event.clientX - p.x;
      var dy = event.clientY - p.y;
      if (!dragged && Math.hypot(event.clientX - p.x0, event.clientY - p.y0) < DRAG_THRESHOLD) { return; }
      if (!dragged) {
        dragged = true;
        // Capture only once it is a drag: capturing on press would retarget the click of a link.
        capture(event.pointerId);
        root.classList.add("svgzoom--dragging");
      }
      p.x = event.clientX;
      p.y = event.clientY;
      if (pointers.size === 2 && pinch) {
        var now = { spread: spread(), centre: centroid() };
        var s = metrics().s;
        pan(-(now.centre.x - pinch.centre.x) / s, -(now.centre.y - pinch.centre.y) / s);
        var c = toDrawing(now.centre.x, now.centre.y);
        zoomAt(now.spread / pinch.spread, c.x, c.y);
        pinch = now;
      } else if (pointers.size === 1) {
        var m = metrics().s;
        pan(-dx / m, -dy / m);
      }
    });

    function release(event) {
      pointers.delete(event.pointerId);
      if (pointers.size < 2) { pinch = null; }
      if (!pointers.size) { root.classList.remove("svgzoom--dragging"); }
    }
    svg.addEventListener("pointerup", release);
    svg.addEventListener("pointercancel", release);

    // Links are draggable by default: a press on a node would start the browser's own
    // drag-and-drop (and cancel the pan) without this.
    svg.addEventListener("dragstart", function (event) { event.preventDefault(); });

    // A drag that ends on a node must not open it.
    svg.addEventListener("click", function (event) {
      if (dragged && event.detail !== 0) {  // detail 0: a click from the keyboard (Enter)
        event.preventDefault();
        event.stopPropagation();
        dragged = false;
      }
    }, true);

    // --- Keyboard and buttons ----------------------------------------------------------
    svg.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      var stepX = view.w * 0.1;
      var stepY = view.h * 0.1;
      switch (event.key) {
        case "+": case "=": zoomCentre(STEP); break;
        case "-": case "_": case "−": zoomCentre(1 / STEP); break;
        case "0": reset(); break;
        case "ArrowLeft": pan(-stepX, 0); break;
        case "ArrowRight": pan(stepX, 0); break;
        case "ArrowUp": pan(0, -stepY); break;
        case "ArrowDown": pan(0, stepY); break;
        default: return;
      }
      event.preventDefault();
    });

    root.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var action = button.getAttribute("data-zoom");
        if (action === "in") { zoomCentre(STEP); }
        else if (action === "out") { zoomCentre(1 / STEP); }
        else { reset(); }
      });
    });

    // --- Labels shown on hover or focus --------------------------------------------------
    var overlay = document.createElementNS("http://www.w3.org/2000/svg", "g");
    overlay.setAttribute("class", "svgzoom-overlay");
    overlay.setAttribute("aria-hidden", "true");
    svg.appendChild(overlay);

    function showLabel(event) {
      var node = event.target.closest && event.target.closest("a");
      var label = node && svg.contains(node) && node.querySelector("text.label--hover");
      overlay.textContent = "";
      if (label) {
        var copy = label.cloneNode(true);
        copy.setAttribute("class", "svgzoom-overlay__label");
        overlay.appendChild(copy);
      }
    }
    function hideLabel() { overlay.textContent = ""; }
    svg.addEventListener("pointerover", showLabel);
    svg.addEventListener("focusin", showLabel);
    svg.addEventListener("pointerleave", hideLabel);
    svg.addEventListener("focusout", hideLabel);

    render();
  }

  document.querySelectorAll("[data-svgzoom]").forEach(setup);
})();
