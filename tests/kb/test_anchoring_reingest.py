"""Re-ingesting a paper whose text changed around annotated sentences: every annotation and
evidence ends anchored, moved or orphaned, and none is lost."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from kb.models import AnchorStatus, Annotation, Evidence
from kb.services import anchoring as anchoring_services
from kb.services import annotations as services
from kb.services import claims as claim_services
from kb.services.loading import paper_load
from papers.models import Passage, TextRevision

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

# Quote -> the status it must end with after the edits below.
QUOTES = {
    "数字技术已经成为重塑社会治理的基础性力量": AnchorStatus.ANCHORED,  # before every edit
    "数字技术与社会治理的融合将产生正负双重影响": AnchorStatus.MOVED,  # text inserted before it
    "通过解决数字化转型过程中出现的各类问题来维持良好的社会秩序": AnchorStatus.MOVED,  # one word changed
    "终归是服务于社会的一种技术手段": AnchorStatus.ORPHANED,  # sentence part deleted
    "数字行政负担": AnchorStatus.ORPHANED,  # became 数字行政成本: a short quote must not drift
}
EDITS = [
    (
        "厘清数字社会治理的内涵有助于更好地把握其本质。",
        "厘清数字社会治理的内涵有助于更好地把握其本质，这一点在实践中尤为关键。",
    ),
    ("来维持良好的社会秩序", "来维护良好的社会秩序"),
    ("终归是服务于社会的一种技术手段，", ""),
    ("数字行政负担", "数字行政成本"),
]


class _Highlights(HTMLParser):
    """The text inside ``<mark data-annotation=ID>`` elements, one string per highlight run."""

    def __init__(self, pk):
        super().__init__()
        self.pk, self.depth, self.runs, self.open_run = str(pk), 0, [], False

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
        elif tag == "mark" and dict(attrs).get("data-annotation") == self.pk:
            self.depth = 1
            if not self.open_run:
                self.runs.append("")
                self.open_run = True

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.runs[-1] += data
        elif data:
            self.open_run = False


def highlighted(html: str, pk: int) -> list[str]:
    parser = _Highlights(pk)
    parser.feed(html)
    return parser.runs


def _source() -> Path:
    found = sorted(CORPUS.glob("003_*.txt"))
    if not found:
        pytest.skip(f"sample corpus not found in {CORPUS}")
    return found[0]


def _annotate(user, paper_id, quote, **extra):
    passage = Passage.objects.get(paper_id=paper_id, revision__is_current=True, text__contains=quote)
    start = passage.text.index(quote)
    return services.annotation_create(
        user=user,
        passage=passage,
        start=start,
        end=start + len(quote),
        exact=quote,
        visibility="public",
        **extra,
    )


@pytest.fixture
def annotated_paper(db, editor):
    path = _source()
    result = paper_load(data=path.read_bytes(), filename=path.name)
    assert result.status == "loaded"
    annotations = {quote: _annotate(editor, result.paper_id, quote, body=f"关于{quote}") for quote in QUOTES}
    root = annotations["数字技术已经成为重塑社会治理的基础性力量"]
    reply = services.annotation_reply(user=editor, parent=root, body="回复不锚定，随线程保留")
    passage = Passage.objects.get(
        paper_id=result.paper_id, revision__is_current=True, text__contains="正负双重影响"
    )
    start = passage.text.index("正负双重影响")
    claim = claim_services.claim_create(
        user=editor,
        paper=passage.paper,
        statement="数字技术对社会治理有正负两面影响。",
        kind="finding",
        evidence=[{"passage": passage, "start": start, "end": start + 6, "exact": "正负双重影响"}],
    )
    return path, result.paper_id, annotations, reply, claim


def _reingest(path: Path, tmp_path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    changed = tmp_path / path.name
    changed.write_text(text, encoding="utf-8")
    return paper_load(data=changed.read_bytes(), filename=changed.name).status


def test_reanchors_after_revision(annotated_paper, tmp_path):
    path, paper_id, annotations, reply, claim = annotated_paper
    before = {a.pk: (a.start, a.end) for a in annotations.values()}
    assert _reingest(path, tmp_path) == "revised"

    new = TextRevision.objects.get(paper_id=paper_id, is_current=True)
    assert Annotation.objects.filter(paper_id=paper_id).count() == len(QUOTES) + 1  # none lost
    for quote, expected in QUOTES.items():
        a = Annotation.objects.get(pk=annotations[quote].pk)
        assert a.anchor_status == expected, quote
        if expected == AnchorStatus.ORPHANED:
            assert (a.exact, (a.start, a.end)) == (quote, before[a.pk])
            assert a.revision_id != new.pk and a.passage is not None  # kept where it was
            continue
        assert a.revision_id == new.pk and a.passage.revision_id == new.pk
        assert new.text[a.start : a.end] == a.exact
        rel = a.passage_span()
        assert a.passage.text[rel[0] : rel[1]] == a.exact
        assert ((a.start, a.end) == before[a.pk]) == (expected == AnchorStatus.ANCHORED)
        assert a.history.first().history_change_reason == anchoring_services.REASON_REANCHOR
    reworded = Annotation.objects.get(
        pk=annotations["通过解决数字化转型过程中出现的各类问题来维持良好的社会秩序"].pk
    )
    assert reworded.exact == "通过解决数字化转型过程中出现的各类问题来维护良好的社会秩序"
    reply.refresh_from_db()
    assert reply.parent_id == annotations["数字技术已经成为重塑社会治理的基础性力量"].pk
    evidence = Evidence.objects.get(claim=claim)
    assert (evidence.anchor_status, evidence.revision_id) == (AnchorStatus.MOVED, new.pk)
    assert new.text[evidence.start : evidence.end] == "正负双重影响"


def test_reader_and_orphan_page_after_revision(annotated_paper, tmp_path, editor_client):
    path, paper_id, annotations, _, _ = annotated_paper
    _reingest(path, tmp_path)
    page = editor_client.get(reverse("papers:paper-detail", args=[paper_id])).content.decode()
    moved = annotations["数字技术与社会治理的融合将产生正负双重影响"]
    assert highlighted(page, moved.pk) == ["数字技术与社会治理的融合将产生正负双重影响"]
    orphan = annotations["数字行政负担"]
    assert f'data-annotation="{orphan.pk}"' not in page
    orphans = editor_client.get(reverse("kb:orphan-list")).content.decode()
    assert "数字行政负担" in orphans and "终归是服务于社会的一种技术手段" in orphans


def test_unchanged_reingest_leaves_everything_anchored(annotated_paper):
    path, paper_id, annotations, _, _ = annotated_paper
    assert paper_load(data=path.read_bytes(), filename=path.name).status == "unchanged"
    assert set(Annotation.objects.filter(parent=None).values_list("anchor_status", flat=True)) == {"anchored"}


def test_reanchor_is_idempotent(annotated_paper, tmp_path):
    path, paper_id, _, _, _ = annotated_paper
    _reingest(path, tmp_path)
    statuses = dict(Annotation.objects.values_list("pk", "anchor_status"))
    report = anchoring_services.targets_reanchor(
        paper=Passage.objects.filter(paper_id=paper_id).first().paper
    )
    assert report.total == 0
    assert dict(Annotation.objects.values_list("pk", "anchor_status")) == statuses


def test_reanchor_command_handles_targets_left_waiting(annotated_paper, tmp_path, monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    from kb.services import followups

    path, paper_id, annotations, _, _ = annotated_paper
    # As if re-anchoring had not run after the mark (e.g. loaded by an older release).
    monkeypatch.setattr(followups, "targets_reanchor", lambda **kw: None)
    _reingest(path, tmp_path)
    monkeypatch.undo()
    assert Annotation.objects.filter(anchor_status=AnchorStatus.NEEDS_REANCHOR).count() == len(QUOTES)
    out = StringIO()
    call_command("reanchor_targets", stdout=out)
    assert out.getvalue().strip() == f"{paper_id}\tanchored 1\tmoved 3\torphaned 2"
    assert not Annotation.objects.filter(anchor_status=AnchorStatus.NEEDS_REANCHOR).exists()
