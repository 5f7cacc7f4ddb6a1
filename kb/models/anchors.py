"""W3C-style text selectors shared by annotations and evidence.

A target is stored as a TextQuoteSelector (exact, prefix, suffix) and a
TextPositionSelector (start, end in the revision's canonical text, in code
points), with the passage and revision it was made on, and the state of its
anchoring after the paper's text changed:

- ``anchored``: found at the same offsets of the current text;
- ``moved``: found elsewhere (new offsets, passage and revision) or with a
  slightly changed quote;
- ``needs_reanchor``: the paper got a new revision and re-anchoring has not run;
- ``orphaned``: not found; kept (never deleted) for an editor to re-attach.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kb.lib.anchoring import Selector


class AnchorStatus(models.TextChoices):
    ANCHORED = "anchored", _("已锚定")
    MOVED = "moved", _("已移动")
    NEEDS_REANCHOR = "needs_reanchor", _("待重新锚定")
    ORPHANED = "orphaned", _("孤立")


SHOWN_STATUSES = (AnchorStatus.ANCHORED, AnchorStatus.MOVED)


class AnchoredTarget(models.Model):
    passage = models.ForeignKey(
        "papers.Passage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revision = models.ForeignKey(
        "papers.TextRevision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    exact = models.TextField(_("引文"), blank=True)
    prefix = models.TextField(blank=True)
    suffix = models.TextField(blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    anchor_status = models.CharField(
        max_length=16, choices=AnchorStatus.choices, default=AnchorStatus.ANCHORED, db_index=True
    )
    # Optimistic lock: every user edit names the version it was based on (kb.services.versions).
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    @property
    def selector(self) -> Selector:
        return Selector(
            exact=self.exact, prefix=self.prefix, suffix=self.suffix, start=self.start, end=self.end
        )

    def passage_span(self) -> tuple[int, int] | None:
        """Offsets inside the passage text, when the target is shown on its passage."""
        if self.passage is None or self.start is None or self.end is None:
            return None
        start = max(self.start - self.passage.start, 0)
        end = min(self.end - self.passage.start, self.passage.end - self.passage.start)
        return (start, end) if start < end else None
