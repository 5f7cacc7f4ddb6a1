"""Stored graph layouts: a drawing's node positions, computed once and served from here.

Generic: a layout belongs to a ``key`` (``"concepts:<group>"``, ``"papers:<group>:<years>"``,
or any other graph's) and records the ``fingerprint`` of the graph it was computed for
(``kb.lib.layout.fingerprint``: node ids and rounded edge weights). A page whose graph has a
different fingerprint serves these positions for the nodes that still exist and asks the
worker for a new layout (``pending`` remembers which one was asked for, so it is asked once).
Written only by ``kb.services.layouts``.
"""

from django.db import models


class GraphLayout(models.Model):
    key = models.CharField(max_length=200, unique=True)
    fingerprint = models.CharField(max_length=64)
    pending = models.CharField(max_length=64, blank=True)  # fingerprint of a queued recompute
    positions = models.JSONField(default=dict)  # node id -> [x, y]
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"layout {self.key} ({len(self.positions)} nodes)"
