"""The ingestion pipeline: read -> clean -> structure -> metadata.

Pure: it touches no database, and returns ``ParsedPaper`` dataclasses.
"""

from papers.ingest.pipeline import parse_bytes, parse_file
from papers.ingest.types import IngestError, ParsedPaper

__all__ = ["IngestError", "ParsedPaper", "parse_bytes", "parse_file"]
