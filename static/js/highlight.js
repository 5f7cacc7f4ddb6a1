// Reader: mark the search terms of ?hl= inside the passage the URL's #p-<n> anchor points at.
// Text nodes are split and wrapped in <mark class="search-hl">; nothing is parsed as HTML.
(function () {
  const params = new URLSearchParams(window.location.search);
  const terms = (params.get("hl") || "").split(/\s+/).filter((t) => t.length > 0).slice(0, 10);
  if (!terms.length) return;
  const target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : document.querySelector("main");
  if (!target) return;
  const escaped = terms.sort((a, b) => b.length - a.length).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const pattern = new RegExp("(" + escaped.join("|") + ")", "giu");
  const walker = document.createTreeWalker(target, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
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
      // The target passage already has the page's mark colour: the terms need a stronger one.
      // (Set through the CSSOM, which the strict CSP allows; the reader loads no search CSS.)
      mark.style.background = "#ffc83d";
      mark.style.boxShadow = "0 2px 0 #b7791f";
      mark.textContent = match;
      frag.appendChild(mark);
      last = offset + match.length;
      return match;
    });
    frag.appendChild(document.createTextNode(text.slice(last)));
    node.parentNode.replaceChild(frag, node);
  }
  target.classList.add("search-target");
})();
