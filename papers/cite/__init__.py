"""Citing a paper: GB/T 7714-2015 and APA 7 entries, and RIS, BibTeX and CSL-JSON exports.

- ``work``: ``CitedWork`` (plain data) and ``cited_work(paper)`` building it from a ``Paper``;
- ``styles``: the two styles and ``missing_elements`` (what a reference cannot do without);
- ``exports``: the reference-manager files, streamed for many papers.

A passage is cited as its paper at the passage's page (``passage_work``): the printed page
label when the pipeline found it, else the PDF page number; ``… 电子政务, 2022(3): 12.``.

The two styles follow the official CSL styles (citation-style-language/styles), which the tests
render with citeproc-py as an independent oracle; where citeproc-py and the standard part ways,
the standard wins and the test says so:

- GB/T 7714 prints the document type code always (``[J]``), and ``/OL`` only for a work that is
  online-only. The CSL style prints ``[J/OL]`` for any work with a DOI or URL, and drops the whole
  ``[J]`` group for one without.
- GB/T 7714 ends a list of more than three authors with ``等`` for Chinese and ``et al`` for
  Western-language works; the CSL style's locale gives ``等`` to both.
- APA moves the title to the author's place when there is no author; citeproc-py prints it twice.
- A Chinese name stored as family/given (``王`` / ``佃利``) is printed whole (``王佃利``); citeproc-py
  puts a space (GB/T) or initials (APA) between them.
"""

from papers.cite.exports import EXPORTS, bibtex, bibtex_unescape, csl_json, export, iter_export, ris
from papers.cite.styles import apa, citation_context, gbt7714, missing_elements, missing_message
from papers.cite.work import CitedWork, Person, cited_work, passage_work, person

__all__ = [
    "EXPORTS",
    "CitedWork",
    "Person",
    "apa",
    "bibtex",
    "bibtex_unescape",
    "citation",
    "citation_context",
    "cited_work",
    "csl_json",
    "export",
    "gbt7714",
    "iter_export",
    "missing_elements",
    "missing_message",
    "passage_work",
    "person",
    "ris",
]


def citation(work: CitedWork) -> dict:
    """The cite box of ``work`` with every export format (see ``styles.citation_context``)."""
    return citation_context(work, list(EXPORTS))
