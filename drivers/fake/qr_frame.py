"""A camera frame with a QR code held up in it, for the fake camera in tests, the tour and the demo.

The code is drawn from segno's module matrix onto a grey background, so the real zbar scanner reads it exactly
as it would read a pass held up to a real camera.
"""

from __future__ import annotations

import numpy as np

from drivers.camera import BgrImage


def qr_frame(payload: bytes, width: int = 640, height: int = 480) -> BgrImage:
    """A `height`×`width` BGR frame with `payload` as a QR code (byte mode) filling most of its height."""
    import segno  # only frames with a code need it

    code = segno.make(payload, error="m", micro=False)
    matrix = np.array([[bool(v) for v in row] for row in code.matrix_iter(scale=1, border=4)], dtype=bool)
    modules = matrix.shape[0]
    scale = max(1, int(min(width, height) * 0.9) // modules)
    side = modules * scale
    if side > min(width, height):
        raise ValueError(f"a {len(payload)}-byte code does not fit a {width}x{height} frame")
    tile = np.where(np.kron(matrix, np.ones((scale, scale), dtype=bool)), 0, 255).astype(np.uint8)
    frame = np.full((height, width, 3), 150, dtype=np.uint8)  # a grey wall behind the held-up paper
    top, left = (height - side) // 2, (width - side) // 2
    frame[top : top + side, left : left + side] = tile[:, :, None]
    return frame
