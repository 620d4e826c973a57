"""The document quality check with OpenCV: sharp (Laplacian variance), whole page (a quadrilateral inside the
frame), readable (exposure and glare), and the page as a grey JPEG small enough to travel to the bank.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from drivers.face import frame_to_bgr
from kiosk.errors import DeviceError
from kiosk.ports import DocumentCheck, Frame

Grey = npt.NDArray[np.uint8]


@dataclass(frozen=True, slots=True)
class DocumentThresholds:
    """Defaults measured on generated pages at 640×480: a sharp page ≈ 1,000+, a blur of σ 3 ≈ 30."""

    min_sharpness: float = 120.0
    min_page_fraction: float = 0.25  # of the frame area
    border_margin: float = 0.01  # a page corner this close to the edge is probably cut off
    min_mean: float = 60.0
    max_mean: float = 235.0
    max_glare_fraction: float = 0.05
    work_width: int = 640
    jpeg_width: int = 1000
    jpeg_quality: int = 70


def _grey(frame: Frame, width: int) -> Grey:
    bgr = frame_to_bgr(frame)
    grey = np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
    if grey.shape[1] > width:
        scale = width / grey.shape[1]
        grey = np.asarray(cv2.resize(grey, (width, round(grey.shape[0] * scale)), interpolation=cv2.INTER_AREA))
    return grey


def _page(grey: Grey, t: DocumentThresholds) -> npt.NDArray[np.int32] | None:
    """The largest four-cornered outline that covers enough of the frame and stays off its edges."""
    h, w = grey.shape
    blurred = cv2.GaussianBlur(grey, (5, 5), 0)
    _, mask = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    best: npt.NDArray[np.int32] | None = None
    best_area = t.min_page_fraction * w * h
    for contour in contours:
        area = cv2.contourArea(contour)
        if area < best_area:
            continue
        quad = cv2.approxPolyDP(contour, 0.02 * cv2.arcLength(contour, True), True)
        if len(quad) != 4:
            continue
        xs, ys = quad[:, 0, 0], quad[:, 0, 1]
        mx, my = t.border_margin * w, t.border_margin * h
        if xs.min() <= mx or ys.min() <= my or xs.max() >= w - 1 - mx or ys.max() >= h - 1 - my:
            continue
        best, best_area = np.asarray(quad, dtype=np.int32), area
    return best


def _readable(region: Grey, t: DocumentThresholds) -> bool:
    mean = float(region.mean())
    glare = float((region >= 250).mean())
    return t.min_mean <= mean <= t.max_mean and glare <= t.max_glare_fraction


def _jpeg(frame: Frame, quad: npt.NDArray[np.int32], scale: float, t: DocumentThresholds) -> bytes:
    bgr = frame_to_bgr(frame)
    grey = np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
    x, y, w, h = cv2.boundingRect((quad / scale).astype(np.int32))
    page = grey[y : y + h, x : x + w]
    if page.shape[1] > t.jpeg_width:
        ratio = t.jpeg_width / page.shape[1]
        size = (t.jpeg_width, round(page.shape[0] * ratio))
        page = np.asarray(cv2.resize(page, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)
    ok, data = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, t.jpeg_quality])
    if not ok:
        raise DeviceError("the page could not be encoded")
    return bytes(data.tobytes())


class OpenCvDocumentChecker:
    def __init__(self, thresholds: DocumentThresholds | None = None) -> None:
        self._t = thresholds or DocumentThresholds()

    def check(self, frame: Frame) -> DocumentCheck:
        t = self._t
        grey = _grey(frame, t.work_width)
        quad = _page(grey, t)
        if quad is None:
            return DocumentCheck(False, False, _readable(grey, t), 0, b"")
        x, y, w, h = cv2.boundingRect(quad)
        inner = grey[y + h // 20 : y + h - h // 20, x + w // 20 : x + w - w // 20]  # the page, not its outline
        sharpness = float(cv2.Laplacian(inner, cv2.CV_64F).var())
        sharp = sharpness >= t.min_sharpness
        readable = _readable(inner, t)
        jpeg = _jpeg(frame, quad, grey.shape[1] / frame.width, t) if sharp and readable else b""
        return DocumentCheck(sharp, True, readable, round(sharpness), jpeg)
