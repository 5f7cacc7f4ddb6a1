"""Small PDFs made on the fly for the upload and ingest-command tests."""

from __future__ import annotations

import io


def chinese_pdf(pages: int) -> bytes:
    """A PDF of ``pages`` pages of Chinese text (reportlab's CID font: pdfium reads its text)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(595, 842))
    sentence = "数字技术的普及深刻改变了社会治理的方式，城乡数字鸿沟仍是共同富裕的重要议题。"
    for page in range(pages):
        c.setFont("STSong-Light", 16)
        if page == 0:
            c.drawString(72, 780, "数字鸿沟与共同富裕")
        c.setFont("STSong-Light", 10.5)
        for row in range(30):
            c.drawString(72, 740 - 18 * row, sentence)
        c.showPage()
    c.save()
    return out.getvalue()


def blank_scan_pdf(pages: int) -> bytes:
    """An image-only PDF of blank pages: a scan with nothing on it."""
    from PIL import Image

    out = io.BytesIO()
    images = [Image.new("L", (595, 842), 255) for _ in range(pages)]
    images[0].save(out, "PDF", save_all=True, append_images=images[1:])
    return out.getvalue()
