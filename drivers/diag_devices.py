"""`lxt-diag qr|face|face-match|camera`: device self-tests, one JSON object per line (the output is a contract).

Images are read from files a technician names; nothing personal is printed (faces are boxes, not pixels).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from drivers.selftest import measure_camera
from kiosk.config import Settings
from kiosk.errors import DeviceError
from kiosk.ports import FaceHint, Frame


def _emit(obj: dict[str, Any]) -> None:
    print(json.dumps(obj, ensure_ascii=False), flush=True)


def frame_from_file(path: Path) -> Frame:
    """An image file as a camera frame (DeviceError if it is not a readable image)."""
    data = np.fromfile(path, dtype=np.uint8) if path.is_file() else np.empty(0, dtype=np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        raise DeviceError("not a readable image")
    image = np.ascontiguousarray(image, dtype=np.uint8)
    return Frame(image.shape[1], image.shape[0], image.tobytes(), 0, 0)


def _timed(files: list[Path], work: Callable[[Frame], dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for path in files:
        start = time.perf_counter()
        try:
            result = work(frame_from_file(path))
        except DeviceError as exc:
            result = {"ok": False, "error": str(exc)}
        yield {"file": str(path), **result, "ms": round((time.perf_counter() - start) * 1000, 1)}


# The drivers are imported inside each command: dlib's models and zbar load in about a second, which
# `lxt-diag status` on a struggling kiosk should not pay.


def cmd_qr(_settings: Settings, args: argparse.Namespace) -> int:
    from drivers.qr import ZbarQrScanner

    scanner = ZbarQrScanner()

    def read(frame: Frame) -> dict[str, Any]:
        payloads = scanner.decode(frame)
        if not payloads:
            return {"ok": False, "text": None, "decoder": None}
        first = payloads[0]
        text = first.text if first.text is not None else f"<{len(first.data)} bytes of binary>"
        return {"ok": True, "text": text, "decoder": first.decoder}

    results = list(_timed(args.files, read))
    scanner.close()
    for r in results:
        _emit(r)
    return 0 if all(r["ok"] for r in results) else 1


def cmd_face(_settings: Settings, args: argparse.Namespace) -> int:
    from drivers.face import DlibFaceAnalyser

    analyser = DlibFaceAnalyser()

    def survey(frame: Frame) -> dict[str, Any]:
        found = analyser.survey(frame)
        faces = []
        for box, hint in found:
            reasons = [] if hint is FaceHint.OK else [hint.value]
            if len(found) > 1:
                reasons.append("several_faces")
            faces.append({"box": [box.x, box.y, box.w, box.h], "ok": not reasons, "reasons": reasons})
        return {"faces": faces}

    results = list(_timed(args.files, survey))
    for r in results:
        _emit(r)
    return 0 if all(any(f["ok"] for f in r.get("faces", [])) for r in results) else 1


def cmd_face_match(_settings: Settings, args: argparse.Namespace) -> int:
    from drivers.face import MATCH_THRESHOLD_DISTANCE, DlibFaceAnalyser, template_distance

    analyser = DlibFaceAnalyser()
    try:
        a = analyser.template_from_image(Path(args.a).read_bytes())
        b = analyser.template_from_image(Path(args.b).read_bytes())
    except (OSError, DeviceError) as exc:
        _emit({"error": str(exc)})
        return 2
    distance = template_distance(a, b)
    _emit(
        {
            "distance": round(distance, 4),
            "threshold": MATCH_THRESHOLD_DISTANCE,
            "match": distance <= MATCH_THRESHOLD_DISTANCE,
        }
    )
    return 0


def cmd_camera(settings: Settings, args: argparse.Namespace) -> int:
    from drivers.camera import OpenCvCamera

    camera = OpenCvCamera(args.source or settings.devices.camera_source)
    try:
        check = measure_camera(camera, args.seconds)
        info = camera.info()
    finally:
        camera.close()
    _emit(
        {
            "source": info.source,
            "connected": info.connected,
            "width": info.width,
            "height": info.height,
            "fps": round(info.fps, 1),
            "frames_seen": check.facts["frames_seen"],
        }
    )
    return 0 if check.facts["connected"] else 1


def add_device_commands(sub: Any) -> None:
    qr = sub.add_parser("qr", help="decode QR codes in image files")
    qr.add_argument("files", nargs="+", type=Path)
    qr.set_defaults(run=cmd_qr)
    face = sub.add_parser("face", help="find faces in image files and say if each is good enough to enrol")
    face.add_argument("files", nargs="+", type=Path)
    face.set_defaults(run=cmd_face)
    match = sub.add_parser("face-match", help="compare the faces of two images")
    match.add_argument("a")
    match.add_argument("b")
    match.set_defaults(run=cmd_face_match)
    camera = sub.add_parser("camera", help="open the camera, report resolution and measured fps")
    camera.add_argument("--source", help="device index, video file or RTSP URL (default: devices.camera_source)")
    camera.add_argument("--seconds", type=float, default=3.0, help="how long to watch")
    camera.set_defaults(run=cmd_camera)
