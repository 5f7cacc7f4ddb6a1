"""One index directory, several processes: recreation happens once, 'rebuilding' ends for
everyone when a rebuild commits, and a rebuild in worker processes equals one in-process.

Each ``SearchIndex`` here stands for another process (the handles share nothing but the
directory). No database: the index takes plain ``IndexDoc`` data.
"""

import json

import pytest
import tantivy

from kb.lib.segment import Segmenter
from kb.search.index import SCHEMA_VERSION, IndexDoc, SearchIndex

TEXTS = [
    "数字鸿沟是数字时代社会不平等的新形态。",
    "城乡之间存在数字鸿沟，也存在收入差距。",
    "弥合数字鸿沟，推动共同富裕。",
    "平台经济的治理路径与算法治理。",
    "Digital divides widen with platform economies.",
]


@pytest.fixture(scope="module")
def segmenter():
    return Segmenter(["数字鸿沟", "共同富裕", "平台经济"])


def _docs(n: int = 300):
    for i in range(n):
        text = TEXTS[i % len(TEXTS)] + f"第{i}段。"
        yield IndexDoc(
            key=f"passage:{i}", type="passage", obj_id=i, text=text, body=text, paper_id=i // 10 + 1
        )


def _scored(index: SearchIndex, word: str) -> list[tuple[float, int]]:
    """(score, id) of every hit, sorted: writer threads split documents into segments in
    no fixed way, so hits with equal scores may come in another order."""
    searcher = index.searcher()
    query = tantivy.Query.term_query(index.schema, "text", word)
    hits = searcher.search(query, 1000).hits
    return sorted((round(score, 4), searcher.doc(address).get_first("obj_id")) for score, address in hits)


def test_a_second_process_opens_the_index_the_first_recreated(tmp_path):
    path = tmp_path / "index"
    SearchIndex(path)
    (path / "kb_schema.json").write_text(json.dumps({"version": SCHEMA_VERSION - 1}))  # an older deploy
    first = SearchIndex(path)
    second = SearchIndex(path)
    assert first.needs_rebuild and not second.needs_rebuild  # recreated once, then opened
    assert (path / "meta.json").exists()


def test_rebuilding_ends_everywhere_when_a_rebuild_commits(tmp_path, segmenter):
    path = tmp_path / "index"
    web = SearchIndex(path)  # found no index: recreated it, enqueued the rebuild
    assert web.rebuilding()
    worker = SearchIndex(path)
    worker.rebuild(docs=_docs(20), segmenter=segmenter)
    assert not web.rebuilding()


def test_rebuild_in_worker_processes_equals_one_process(tmp_path, segmenter):
    alone = SearchIndex(tmp_path / "one")
    pooled = SearchIndex(tmp_path / "two")
    assert alone.rebuild(docs=_docs(), segmenter=segmenter, processes=1) == 300
    assert pooled.rebuild(docs=_docs(), segmenter=segmenter, processes=2) == 300
    pooled.reload()
    alone.reload()
    for word in ("数字鸿沟", "鸿沟", "共同富裕", "治理", "divid"):
        assert _scored(pooled, word) == _scored(alone, word) != []
