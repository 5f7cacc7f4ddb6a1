/* Reading in place, in the reader:
 * - the concept-underline toggle: remembered per account (POST to the preferences endpoint), or
 *   in this browser (localStorage) for a visitor; without scripts it is a plain form;
 * - where the reader is: the passage at the top of the view (IntersectionObserver) is kept in
 *   body[data-reading-anchor] (the language switch returns there) and, for a signed-in reader who
 *   has scrolled, recorded on the server: debounced, and once more when the page is left
 *   (sendBeacon with the CSRF token in the form data). */
(function () {
  "use strict";
  var reader = document.querySelector(".reader");
  if (!reader) return;

  // -- concept underlines ------------------------------------------------------------------------
  var KEY = "tanyuan.showConcepts";
  var form = document.querySelector("form[data-concept-toggle]");
  function apply(show) {
    reader.classList.toggle("reader--no-concepts", !show);
    form.querySelector("button").setAttribute("aria-pressed", show ? "true" : "false");
    form.elements.show_concepts.value = show ? "0" : "1"; // what the next press asks for
  }
  if (form) {
    var signedIn = form.dataset.signedIn === "1";
    if (!signedIn) {
      try {
        var stored = window.localStorage.getItem(KEY);
        if (stored !== null) apply(stored === "1");
      } catch (e) { /* storage refused: the default stays */ }
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      var show = form.elements.show_concepts.value === "1";
      apply(show);
      if (!signedIn) {
        try { window.localStorage.setItem(KEY, show ? "1" : "0"); } catch (e) { /* kept for this page only */ }
        return;
      }
      fetch(form.action, {
        method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" },
      }).then(function (response) {
        if (!response.ok) apply(!show);
      }, function () { apply(!show); });
    });
  }

  // -- where the reader is -------------------------------------------------------------------------
  var passages = document.querySelectorAll(".paper-body [data-passage]");
  if (!passages.length || !("IntersectionObserver" in window)) return;
  var recorder = document.getElementById("reading-position");
  var inView = new Set();
  var current = null;
  var sent = null;
  var scrolled = false;
  var timer = 0;

  function send() {
    clearTimeout(timer);
    if (!recorder || !scrolled || !current || current.dataset.passage === sent) return;
    var data = new FormData();
    data.append("passage", current.dataset.passage);
    data.append("csrfmiddlewaretoken", recorder.dataset.csrf);
    sent = current.dataset.passage;
    if (navigator.sendBeacon && navigator.sendBeacon(recorder.dataset.url, data)) return;
    fetch(recorder.dataset.url, { method: "POST", body: data, credentials: "same-origin", keepalive: true });
  }

  function topmost() {
    var best = null;
    var bestTop = Infinity;
    inView.forEach(function (el) {
      var rect = el.getBoundingClientRect();
      if (rect.bottom > 40 && rect.top < bestTop) {
        best = el;
        bestTop = rect.top;
      }
    });
    return best;
  }

  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) inView.add(entry.target);
      else inView.delete(entry.target);
    });
    var top = topmost();
    if (!top || top === current) return;
    current = top;
    document.body.dataset.readingAnchor = top.id;
    if (recorder && scrolled) {
      clearTimeout(timer);
      timer = setTimeout(send, 1500);
    }
  });
  passages.forEach(function (el) { observer.observe(el); });
  window.addEventListener("scroll", function () {
    scrolled = true;
    clearTimeout(timer);
    timer = setTimeout(send, 1500);
  }, { passive: true, once: true });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") send();
  });
  window.addEventListener("pagehide", send);
})();
