// Search page: pressing "/" focuses the search box (no inline scripts: strict CSP).
document.addEventListener("keydown", (event) => {
  const box = document.getElementById("search-q");
  if (event.key === "/" && box && document.activeElement !== box && !event.target.closest("input, textarea")) {
    event.preventDefault();
    box.focus();
  }
});
