"""Page images of a PDF source: rendered by pypdfium2 at one fixed scale, cached on disk.

The cache lives under the var directory (``KB_PAGE_CACHE_DIR``, default ``var/page-images``),
never under a public media URL: the images are served by a view that checks who may read
the paper. A page is rendered once per source file (named by its sha256) and page; the
file is written under a temporary name and renamed, so concurrent readers never see half
an image. The scale is fixed, and an outsize page is rendered smaller, so that a request
can never ask for an unbounded bitmap.
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

SCALE = 2.0  # 144 dpi: sharp on high-density screens, ~0.2–0.5 MB a PNG
MAX_PIXELS = 16_000_000  # a page larger than this (posters, plans) is rendered at a smaller scale
CACHE_VERSION = 1  # bump when the rendering changes, so that old images are not served

# pdfium is not thread-safe: one render at a time per process.
_PDFIUM = threading.Lock()


class PageImageError(Exception):
    """No such page (or the source cannot be rendered); the view answers 404."""


@dataclass(frozen=True)
class PageSize:
    number: int
    width: float  # points
    height: float


def cache_dir() -> Path:
    configured = getattr(settings, "KB_PAGE_CACHE_DIR", "") or ""
    return Path(configured) if configured else Path(settings.VAR_DIR) / "page-images"


def cache_path(*, sha256: str, page: int) -> Path:
    return cache_dir() / sha256[:2] / f"{sha256}-p{page}-s{int(SCALE * 100)}-v{CACHE_VERSION}.png"


def _open(source):
    import pypdfium2

    try:
        path = source.file.path
    except (NotImplementedError, ValueError):  # storage without local paths, or no file
        path = None
    if path and os.path.exists(path):
        return pypdfium2.PdfDocument(path)
    if not source.file:
        raise PageImageError("the source file is not stored")
    with source.file.open("rb") as handle:
        return pypdfium2.PdfDocument(handle.read())


def page_sizes(source) -> list[PageSize]:
    """Every page's size in points (for sources whose revision did not record them)."""
    import pypdfium2

    with _PDFIUM:
        try:
            pdf = _open(source)
        except pypdfium2.PdfiumError as exc:
            raise PageImageError(str(exc)) from exc
        try:
            return [PageSize(i + 1, *pdf.get_page_size(i)) for i in range(len(pdf))]
        finally:
            pdf.close()


def render_scale(width: float, height: float) -> float:
    area = max(width * height, 1.0)
    return min(SCALE, math.sqrt(MAX_PIXELS / area))


def _render(source, page: int, target: Path) -> None:
    import pypdfium2

    with _PDFIUM:
        try:
            pdf = _open(source)
        except pypdfium2.PdfiumError as exc:
            raise PageImageError(str(exc)) from exc
        try:
            if not 1 <= page <= len(pdf):
                raise PageImageError(f"no page {page}")
            pdf_page = pdf[page - 1]
            width, height = pdf_page.get_size()
            bitmap = pdf_page.render(scale=render_scale(width, height))
            image = bitmap.to_pil()
        finally:
            pdf.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        image.save(temporary, format="PNG")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def page_image(*, source, page: int) -> Path:
    """The PNG of ``page`` (1-based) of ``source`` (a PDF ``SourceFile``), rendered on first use."""
    if page < 1:
        raise PageImageError(f"no page {page}")
    target = cache_path(sha256=source.sha256, page=page)
    if not target.exists():
        _render(source, page, target)
    return target
