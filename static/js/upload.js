/* Admin upload: while a parse is queued or running, poll the progress fragment
   every second and swap it in. The fragment is the same partial the page
   includes (kb/_upload_progress.html). When a job finishes inside a
   [data-reload-when-done] region, the page reloads to show the preview; when a
   publication finishes, the browser opens the paper.
   Without JavaScript the partial's refresh link does the same. */
(function () {
  "use strict";

  var INTERVAL = 1000;
  var MAX_INTERVAL = 10000;

  function parse(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.querySelector("[data-upload-progress]");
  }

  function poll(element, delay) {
    var url = element.getAttribute("data-progress-url");
    if (!url || element.getAttribute("data-active") !== "true") {
      return;
    }
    window.setTimeout(function () {
      fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.text();
        })
        .then(function (html) {
          var fresh = parse(html);
          if (!fresh) {
            throw new Error("no progress fragment");
          }
          var wasPublishing = element.getAttribute("data-state") === "publishing";
          element.replaceWith(fresh);
          if (fresh.getAttribute("data-active") === "true") {
            poll(fresh, INTERVAL);
          } else if (wasPublishing && fresh.getAttribute("data-paper-url")) {
            window.location.assign(fresh.getAttribute("data-paper-url")); // published: read it
          } else if (fresh.closest("[data-reload-when-done]")) {
            window.location.reload();
          }
        })
        .catch(function () {
          // Back off while the server is unreachable, then keep trying.
          poll(element, Math.min(delay * 2, MAX_INTERVAL));
        });
    }, delay);
  }

  // Keep an oversize file back rather than send megabytes the server will refuse anyway.
  // Alone, it stops the upload with the reason; beside good files, the good ones are sent and
  // the oversize one is named (input "refused") so the next page lists it as not uploaded.
  function guardSize(form) {
    var limit = parseInt(form.getAttribute("data-max-bytes"), 10);
    var box = form.querySelector("[data-upload-client-error]");
    var input = form.querySelector("input[type=file]");
    if (!limit || !box || !input) {
      return;
    }
    form.addEventListener("submit", function (event) {
      var files = Array.prototype.slice.call(input.files || []);
      var big = files.filter(function (file) { return file.size > limit; });
      var good = files.filter(function (file) { return file.size <= limit; });
      form.querySelectorAll("input[name=refused]").forEach(function (old) { old.remove(); });
      box.textContent = big.map(function (file) {
        return form.getAttribute("data-too-large").replace("%(name)s", file.name);
      }).join(" ");
      box.hidden = big.length === 0;
      if (!big.length) {
        return;
      }
      if (!good.length || typeof DataTransfer === "undefined") {
        event.preventDefault();
        return;
      }
      var kept = new DataTransfer();
      good.forEach(function (file) { kept.items.add(file); });
      input.files = kept.files;
      big.forEach(function (file) {
        var named = document.createElement("input");
        named.type = "hidden";
        named.name = "refused";
        named.value = file.name;
        form.appendChild(named);
      });
    });
  }

  function start() {
    document.querySelectorAll("form[data-max-bytes]").forEach(guardSize);
    document.querySelectorAll("[data-upload-progress]").forEach(function (element) {
      poll(element, INTERVAL);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
