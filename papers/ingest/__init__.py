"""The ingestion pipeline: read -> clean -> structure -> metadata.

Pure: it touches no database, and returns ``ParsedPaper`` dataclasses.
"""

from papers.ingest.pipeline import parse_bytes, parse_file
from papers.ingest.types import IngestError, ParsedPaper, ReadOptions

__all__ = ["IngestError", "ParsedPaper", "ReadOptions", "parse_bytes", "parse_file"]
