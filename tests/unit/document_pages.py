"""Generated photos of a paper page for the document quality check: sharp, blurred, cut off, over-exposed."""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from kiosk.ports import Frame

Image = npt.NDArray[np.uint8]


def page_photo(width: int = 640, height: int = 480, *, offset: tuple[int, int] = (0, 0), light: int = 235) -> Image:
    """A white page of text lines on a dark desk; `offset` moves the page (off the edge if large)."""
    img = np.full((height, width, 3), 45, dtype=np.uint8)
    x0, y0 = 150 + offset[0], 40 + offset[1]
    x1, y1 = x0 + 300, y0 + 400
    cv2.rectangle(img, (x0, y0), (x1, y1), (light, light, light), thickness=-1)
    for i, line in enumerate(("LOAN MATERIAL", "NAME ZHANG XIULAN", "VILLAGE ZHANGZHUANG", "AREA 12 MU 2025")):
        for row in range(3):
            y = y0 + 50 + (i * 3 + row) * 28
            if y < y1 - 20:
                cv2.putText(img, line, (x0 + 15, y), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (20, 20, 20), 1, cv2.LINE_AA)
    return img


def to_frame(img: Image, seq: int = 1) -> Frame:
    h, w = img.shape[:2]
    return Frame(w, h, np.ascontiguousarray(img).tobytes(), seq, 0)
