/* The reader's note filter (全部 / 只看我的 / 某小组 / 公开): applied as soon as it changes.
 * Without script the form's own button submits it; the server remembers the choice
 * (UserPreference.note_scope) and redraws the reader at the margin.
 */
(function () {
  "use strict";

  function bind(form) {
    if (form.dataset.bound) return;
    form.dataset.bound = "1";
    var apply = form.querySelector("[data-note-scope-apply]");
    if (apply) apply.hidden = true;
    form.elements.scope.addEventListener("change", function () {
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    });
  }

  function bindAll() { document.querySelectorAll("form[data-note-scope]").forEach(bind); }
  bindAll();
  // The margin is redrawn after each new note: bind the fresh form too.
  document.addEventListener("annotations:refreshed", bindAll);
})();
