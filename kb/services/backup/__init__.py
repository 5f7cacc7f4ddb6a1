"""Backup and restore of the whole knowledge base: one versioned ZIP archive with every model's
rows, the uploaded files, a manifest and checksums (``export_kb`` / ``import_kb``).

    backup_export(path=..., progress=...)   kb.services.backup.export
    backup_import(path=..., progress=...)   kb.services.backup.restore (rows: kb.services.backup.rows)
"""

from kb.services.backup.export import backup_export
from kb.services.backup.manifest import FORMAT_VERSION, BackupError
from kb.services.backup.restore import backup_import

__all__ = ["FORMAT_VERSION", "BackupError", "backup_export", "backup_import"]
