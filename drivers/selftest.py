"""Device self-tests shared by `lxt-diag` and the touchscreen's diagnostics: each ends in a `Check`.

They block (a card read waits, the camera is watched for seconds): callers run them on a device thread. A card
read for a test is thrown away at once: only whether it worked is kept, never what the card said.
"""

from __future__ import annotations

import secrets
import time

from kiosk.diagnostics import Check, CheckKey, Level, camera_check
from kiosk.errors import DeviceError
from kiosk.ports import Camera, CardReader, DeviceTimeout, DeviceUnavailable, Frame


def probe_card_reader(reader: CardReader, timeout_s: float = 0.3) -> Check:
    """Is the reader there? A short read: a timeout means it answered and no card lies on it."""
    return _card(reader, timeout_s, waiting_is_fine=True)


def read_card_test(reader: CardReader, timeout_s: float = 15.0) -> Check:
    """The 读卡测试 button: wait for a card and read it; the card's contents are dropped unseen."""
    return _card(reader, timeout_s, waiting_is_fine=False)


def _card(reader: CardReader, timeout_s: float, *, waiting_is_fine: bool) -> Check:
    start = time.monotonic()
    try:
        reader.read_card(timeout_s)
    except DeviceTimeout:
        level = Level.OK if waiting_is_fine else Level.WARN
        return Check(CheckKey.CARD_READER, level, {"state": "no_card"})
    except DeviceUnavailable as exc:
        return Check(CheckKey.CARD_READER, Level.FAULT, {"state": "unavailable", "error": type(exc).__name__})
    except DeviceError as exc:  # the reader works, the card did not read: worth a look, not a dead reader
        return Check(CheckKey.CARD_READER, Level.WARN, {"state": "read_failed", "error": type(exc).__name__})
    ms = round((time.monotonic() - start) * 1000)
    return Check(CheckKey.CARD_READER, Level.OK, {"state": "card_read", "ms": ms})


def measure_camera(camera: Camera, seconds: float) -> Check:
    """Watch the camera for `seconds`: frames seen, and the fps it reports (its own short window)."""
    frames = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            camera.latest_frame(min(1.0, max(0.01, deadline - time.monotonic())))
            frames += 1
        except DeviceTimeout:
            continue
        except DeviceError:
            break  # gone: no point watching on
    info = camera.info()
    check = camera_check(info.connected and frames > 0, info.fps, info.width, info.height)
    return Check(check.key, check.level, {**check.facts, "frames_seen": frames, "seconds": seconds})


def qr_selftest() -> Check:
    """Draw a fresh code (with Chinese, so the charset path counts) into a frame and read it back with zbar."""
    from drivers.fake.qr_frame import qr_frame  # numpy, segno and zbar: only when the test runs
    from drivers.qr import ZbarQrScanner

    payload = f"lxt-自检-{secrets.token_hex(4)}".encode()
    image = qr_frame(payload)
    frame = Frame(image.shape[1], image.shape[0], image.tobytes(), 0, 0)
    start = time.monotonic()
    try:
        scanner = ZbarQrScanner()
    except DeviceError as exc:
        return Check(CheckKey.QR, Level.FAULT, {"state": "unavailable", "error": type(exc).__name__})
    try:
        found = scanner.decode(frame)
    except DeviceError as exc:
        return Check(CheckKey.QR, Level.FAULT, {"state": "failed", "error": type(exc).__name__})
    finally:
        scanner.close()
    ms = round((time.monotonic() - start) * 1000)
    if [p.data for p in found] != [payload]:
        return Check(CheckKey.QR, Level.FAULT, {"state": "misread", "ms": ms})
    return Check(CheckKey.QR, Level.OK, {"state": "read", "ms": ms, "decoder": found[0].decoder})
