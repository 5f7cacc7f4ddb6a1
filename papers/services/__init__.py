"""Writes to the papers app. Every write goes through a function here."""

from papers.services.ingest import IngestOutcome, paper_save_parsed
from papers.services.metadata import paper_update_metadata

__all__ = ["IngestOutcome", "paper_save_parsed", "paper_update_metadata"]
