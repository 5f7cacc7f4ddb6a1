"""Aggregates the pages read instead of counting over the whole library on every request.

They count *published* papers' current passages and the *active* mentions of *unmerged*
concepts in them, and are kept up to date by ``kb.services.aggregates.aggregates_refresh``,
which every service that changes their inputs calls (a paper loaded or revised, mentions
detected, created or rejected, concepts merged, a paper's status or year corrected):

- ``PaperAggregate``: what one paper last contributed (its passages, and the concept pairs
  that share its passages), so that a refresh subtracts exactly what it added before;
- ``PaperConceptCount``: mentions and mentioning passages per paper × concept;
- ``ConceptStat``: per concept, mentions, mentioning passages and papers;
- ``ConceptYear``: per concept and publication year (0: unknown), mentions and papers;
- ``ConceptPair``: passages mentioning both concepts (``a < b``), for co-occurrence and NPMI;
- ``LibraryStat``: library-wide counters (papers, passages, passages with a mention).

``manage.py rebuild_aggregates`` recomputes them all from scratch.
"""

from django.db import models


class PaperAggregate(models.Model):
    paper = models.OneToOneField("papers.Paper", on_delete=models.CASCADE, primary_key=True, related_name="+")
    counted = models.BooleanField(default=False)  # published when last refreshed
    year = models.PositiveSmallIntegerField(default=0)
    passages = models.PositiveIntegerField(default=0)
    mentioned_passages = models.PositiveIntegerField(default=0)
    pairs = models.JSONField(default=dict)  # "a:b" -> passages mentioning both

    def __str__(self) -> str:
        return f"aggregate of paper {self.paper_id}"


class PaperConceptCount(models.Model):
    paper = models.ForeignKey("papers.Paper", on_delete=models.CASCADE, related_name="+")
    concept = models.ForeignKey("kb.Concept", on_delete=models.CASCADE, related_name="+")
    mentions = models.PositiveIntegerField(default=0)
    passages = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["paper", "concept"], name="paper_concept_count_unique")
        ]
        indexes = [models.Index(fields=["concept", "-mentions"], name="pcc_concept_mentions")]

    def __str__(self) -> str:
        return f"{self.paper_id}×{self.concept_id}: {self.mentions}"


class ConceptStat(models.Model):
    concept = models.OneToOneField(
        "kb.Concept", on_delete=models.CASCADE, primary_key=True, related_name="stat"
    )
    mentions = models.IntegerField(default=0)
    passages = models.IntegerField(default=0)
    papers = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["-mentions"], name="conceptstat_mentions")]

    def __str__(self) -> str:
        return f"{self.concept_id}: {self.mentions}"


class ConceptYear(models.Model):
    concept = models.ForeignKey("kb.Concept", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(default=0)
    mentions = models.IntegerField(default=0)
    papers = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["concept", "year"], name="concept_year_unique")]

    def __str__(self) -> str:
        return f"{self.concept_id}@{self.year}: {self.mentions}"


class ConceptPair(models.Model):
    a = models.ForeignKey("kb.Concept", on_delete=models.CASCADE, related_name="+")
    b = models.ForeignKey("kb.Concept", on_delete=models.CASCADE, related_name="+")
    passages = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["a", "b"], name="concept_pair_unique")]
        indexes = [models.Index(fields=["b"], name="conceptpair_b")]

    def __str__(self) -> str:
        return f"{self.a_id}&{self.b_id}: {self.passages}"


class LibraryStat(models.Model):
    key = models.CharField(max_length=40, unique=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
