// Reader: mark the search terms of ?hl= throughout the paper's text, starting at the passage the
// URL's #p-<n> points at, with a small bar to step through them (buttons, or [ and ] keys).
// Text nodes are split and wrapped in <mark class="search-hl">; nothing is parsed as HTML.
(function () {
  const params = new URLSearchParams(window.location.search);
  const terms = (params.get("hl") || "").split(/\s+/).filter((t) => t.length > 0).slice(0, 10);
  if (!terms.length || !window.TanyuanSelection) return;
  const scope = document.querySelector(".paper-body") || document.querySelector("main");
  if (!scope) return;
  const target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
  const escaped = terms.sort((a, b) => b.length - a.length).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const pattern = new RegExp("(" + escaped.join("|") + ")", "giu");
  // The text without the ¶ anchor links, from the reader's one selection module (selection.js).
  const nodes = window.TanyuanSelection.textNodes(scope);
  for (const node of nodes) {
    const text = node.nodeValue;
    pattern.lastIndex = 0;
    if (!pattern.test(text)) continue;
    const frag = document.createDocumentFragment();
    let last = 0;
    text.replace(pattern, (match, _g, offset) => {
      frag.appendChild(document.createTextNode(text.slice(last, offset)));
      const mark = document.createElement("mark");
      mark.className = "search-hl";
      mark.textContent = match;
      frag.appendChild(mark);
      last = offset + match.length;
      return match;
    });
    frag.appendChild(document.createTextNode(text.slice(last)));
    node.parentNode.replaceChild(frag, node);
  }
  if (target) target.classList.add("search-target");
  const marks = Array.from(scope.querySelectorAll("mark.search-hl"));
  const labels = document.getElementById("hl-nav-labels");
  if (!marks.length || !labels) return;

  let current = Math.max(0, target ? marks.findIndex((m) => target.contains(m)) : 0);
  const bar = document.createElement("div");
  bar.className = "hl-nav";
  bar.setAttribute("role", "region");
  bar.setAttribute("aria-label", labels.dataset.label);
  const count = document.createElement("span");
  count.className = "hl-nav__count";
  count.setAttribute("aria-live", "polite");
  const button = (text, label, step) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "hl-nav__step";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.addEventListener("click", () => go(current + step));
    return b;
  };
  const clear = document.createElement("a");
  clear.className = "hl-nav__clear";
  clear.textContent = labels.dataset.clear;
  clear.href = window.location.pathname + window.location.hash;
  bar.append(count, button("▲", labels.dataset.prev, -1), button("▼", labels.dataset.next, 1), clear);
  document.body.appendChild(bar);

  function go(index, scroll = true) {
    marks[current].classList.remove("search-hl--current");
    current = (index + marks.length) % marks.length;
    const mark = marks[current];
    mark.classList.add("search-hl--current");
    count.textContent = labels.dataset.of.replace("{i}", current + 1).replace("{n}", marks.length);
    if (scroll) mark.scrollIntoView({ block: "center" });
  }
  // The anchor already scrolled to the target passage; only later steps scroll.
  go(current, !target);
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, textarea, select, [contenteditable]") || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "]") go(current + 1);
    else if (event.key === "[") go(current - 1);
  });
})();
