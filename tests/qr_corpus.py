"""A labelled QR corpus generated at test time: segno codes rendered into photograph-like camera frames."""

from __future__ import annotations

import base64
import functools
import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum

import cv2
import numpy as np
import segno

from kiosk.ports import Frame

WIDTH, HEIGHT = 640, 480
DEFAULT_SEED = 20260319


class Difficulty(StrEnum):
    EASY = "easy"
    HARD = "hard"


@dataclass(frozen=True, slots=True)
class Code:
    """What a code carries: its bytes, the text a reader must get, and how segno is told to write it."""

    name: str
    data: bytes  # the bytes in the code's data segments
    text: str | None  # None for binary payloads
    charset: str | None  # the charset our reader should report (None for binary)
    content: str | bytes  # what segno is given
    encoding: str | None = None
    eci: bool = False
    mode: str | None = None
    error: str = "m"

    def make(self) -> segno.QRCode:
        return _make(self)


@functools.lru_cache(maxsize=256)
def _make(code: Code) -> segno.QRCode:
    # Encoding (mask search) is the slowest part of rendering; each code is photographed several times.
    return segno.make(code.content, encoding=code.encoding, eci=code.eci, mode=code.mode, error=code.error, micro=False)


def _text(name: str, text: str, encoding: str, *, eci: bool = False, mode: str | None = "byte") -> Code:
    data = text.encode(encoding)
    charset = {"utf-8": "utf-8", "gb18030": "gb18030", "shift_jis": "shift_jis"}[encoding]
    return Code(name, data, text, charset, text, encoding=encoding, eci=eci, mode=mode)


def _binary(name: str, data: bytes) -> Code:
    return Code(name, data, None, None, data, mode="byte")


def _sd_jwt_like(rng: np.random.Generator, length: int = 1000) -> str:
    """An SD-JWT-shaped string (header.payload.signature~disclosure~…) of about `length` characters."""

    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

    header = b64(json.dumps({"alg": "ES256", "typ": "vc+sd-jwt"}).encode())
    claims = {"iss": "https://hospital.lankao.example", "vct": "urn:lxt:health-exam:1", "_sd": ["x" * 43] * 4}
    parts = [header, b64(json.dumps(claims).encode()), b64(rng.bytes(64))]
    out = ".".join(parts)
    while len(out) < length - 60:
        out += "~" + b64(rng.bytes(45))
    return (out + "~" + "A" * length)[:length]


CHINESE = (
    "兰考县张庄村村民委员会",
    "链信通数字身份：王秀英，健康体检合格",
    "河南省开封市兰考县人民医院 体检报告",
    "普惠金融 小额信贷 三万元",
    "养老金领取资格认证 已通过",
    "残疾人两项补贴申请",
)
JAPANESE = ("こんにちは、世界", "ありがとうございます")


def codes(seed: int = DEFAULT_SEED) -> list[Code]:
    """Every payload of the corpus, deterministic for a seed."""
    rng = np.random.default_rng(seed)
    out: list[Code] = []
    out += [_text(f"utf8-zh-{i}", t, "utf-8") for i, t in enumerate(CHINESE)]
    out += [_text(f"gb18030-zh-{i}", t, "gb18030") for i, t in enumerate(CHINESE)]
    out += [_text(f"sjis-ja-{i}", t, "shift_jis") for i, t in enumerate(JAPANESE)]
    out.append(_text("sjis-kanji-mode", "こんにちは", "shift_jis", mode=None))
    # ECI-marked: zbar converts ECI 26 and 20 to UTF-8 itself; ECI 29 (GB18030) it passes through as bytes.
    out.append(replace(_text("eci-utf8-zh", CHINESE[1], "utf-8", eci=True), charset="utf-8"))
    out.append(replace(_text("eci-sjis-ja", JAPANESE[0], "shift_jis", eci=True), charset=None))
    out.append(_text("eci-gb18030-zh", CHINESE[2], "gb18030", eci=True))
    claims = json.dumps({"vct": "urn:lxt:cadre-card:1", "name": "张", "village": "张庄"}, ensure_ascii=False)
    out.append(_binary("binary-zlib", zlib.compress(claims.encode("utf-8"))))
    out.append(_binary("binary-cbor-like", bytes([0xA3, 0x01, 0x26, 0x04, 0x58, 0x20]) + rng.bytes(32)))
    out.append(_binary("binary-random", rng.bytes(48)))
    out.append(_text("ascii-url", "https://lxt.lankao.example/v1/present?req=8f3a2c1d&aud=traffic", "utf-8"))
    out.append(_text("ascii-url-upper", "HTTPS://LXT.LANKAO.EXAMPLE/R/8F3A2C1D", "utf-8", mode=None))
    out.append(replace(_text("sd-jwt-1000", _sd_jwt_like(rng), "utf-8"), error="l"))
    out.append(_text("empty", "", "utf-8"))
    out.append(_text("space", " ", "utf-8", mode=None))
    return out


# --- rendering ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Look:
    """How a code is photographed. Defaults are an easy, well-lit, square-on shot."""

    module_px: float = 5.0  # size of one module in the frame, before perspective
    angle_deg: float = 0.0
    perspective: float = 0.0  # corner jitter, as a fraction of the code's side
    blur_sigma: float = 0.0
    noise_sigma: float = 3.0
    glare: float = 0.0  # peak brightness added by a glare spot (0..255)
    dark: int = 30  # ink
    light: int = 225  # paper
    jpeg_quality: int = 90


@dataclass(frozen=True, slots=True)
class Sample:
    """One labelled frame of the corpus."""

    name: str  # "<code>/<look>"
    code: Code
    look_name: str
    difficulty: Difficulty
    image: np.ndarray = field(repr=False)

    @property
    def data(self) -> bytes:
        return self.code.data

    def frame(self, seq: int = 0) -> Frame:
        return Frame(self.image.shape[1], self.image.shape[0], self.image.tobytes(), seq, 0)


EASY_LOOKS: dict[str, Look] = {
    "clean": Look(),
    "tilted": Look(angle_deg=8.0, noise_sigma=4.0),
}

HARD_LOOKS: dict[str, Look] = {
    "blur": Look(blur_sigma=2.2),
    "noise": Look(noise_sigma=32.0),
    "perspective": Look(perspective=0.2),
    "glare": Look(glare=260.0),
    "small": Look(module_px=2.0),
    "rotated": Look(angle_deg=37.0, module_px=3.5),
    "low-contrast": Look(dark=110, light=145, noise_sigma=5.0),
    "combined": Look(angle_deg=20.0, perspective=0.1, blur_sigma=1.4, noise_sigma=14.0, glare=160.0),
}


def _background(rng: np.random.Generator) -> np.ndarray:
    """A table top: smooth colour blotches, wood-like streaks and fine grain."""
    tone = rng.uniform([70, 100, 130], [120, 150, 190])  # a warm wood or desk colour, BGR
    blotches = rng.normal(0, 22, size=(6, 8, 1)) + rng.normal(0, 6, size=(6, 8, 3))
    base = cv2.resize((tone + blotches).astype(np.float32), (WIDTH, HEIGHT), interpolation=cv2.INTER_CUBIC)
    rows = np.arange(HEIGHT, dtype=np.float32)[:, None]
    streaks = 18 * np.sin(rows / rng.uniform(3, 9) + rng.uniform(0, 6)) * np.ones((1, WIDTH), np.float32)
    grain = rng.normal(0, 6, size=(HEIGHT, WIDTH, 1)).astype(np.float32)
    return np.asarray(base + streaks[:, :, None] + grain, dtype=np.float32)


def _code_image(qr: segno.QRCode, look: Look) -> np.ndarray:
    """The code with its quiet zone, one module as `module_px` pixels, as ink/paper grey levels."""
    modules = np.array([list(row) for row in qr.matrix_iter(scale=1, border=4)], dtype=np.uint8)
    side = round(modules.shape[0] * look.module_px)
    scaled = cv2.resize(modules, (side, side), interpolation=cv2.INTER_NEAREST)
    return np.where(scaled > 0, look.dark, look.light).astype(np.float32)


def _place(canvas: np.ndarray, code: np.ndarray, look: Look, rng: np.random.Generator) -> np.ndarray:
    side = code.shape[0]
    # Shrink a code that would not fit the frame once turned (the long SD-JWT at large modules).
    theta = np.radians(look.angle_deg)
    fit = min(1.0, 0.92 * min(WIDTH, HEIGHT) / (side * (abs(np.cos(theta)) + abs(np.sin(theta)))))
    half = side * fit / 2
    room = np.maximum(0.0, [WIDTH / 2 - half * 1.5, HEIGHT / 2 - half * 1.5])
    centre = np.array([WIDTH / 2, HEIGHT / 2]) + rng.uniform(-1, 1, 2) * room
    corners = np.array([[-half, -half], [half, -half], [half, half], [-half, half]])
    corners += rng.uniform(-1, 1, corners.shape) * look.perspective * 2 * half
    turn = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    dst = (corners @ turn.T + centre).astype(np.float32)
    src = np.array([[0, 0], [side, 0], [side, side], [0, side]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(code, matrix, (WIDTH, HEIGHT), flags=cv2.INTER_AREA if fit < 1 else cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones_like(code), matrix, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR)[:, :, None]
    return np.asarray(canvas * (1 - mask) + warped[:, :, None] * mask, dtype=np.float32)


def _glare(image: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    cx, cy = rng.uniform(0.35, 0.65) * WIDTH, rng.uniform(0.35, 0.65) * HEIGHT
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    radius = rng.uniform(50, 90)
    spot = strength * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * radius**2))
    return np.asarray(image + spot[:, :, None], dtype=np.float32)


def render(code: Code, look: Look, rng: np.random.Generator) -> np.ndarray:
    """One BGR uint8 frame of `code` photographed with `look`."""
    canvas = _background(rng)
    image = _place(canvas, _code_image(code.make(), look), look, rng)
    if look.glare:
        image = _glare(image, look.glare, rng)
    if look.blur_sigma:
        image = cv2.GaussianBlur(image, (0, 0), look.blur_sigma)
    image = image + rng.normal(0, look.noise_sigma, size=image.shape).astype(np.float32)
    out = np.clip(image, 0, 255).astype(np.uint8)
    ok, jpeg = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, look.jpeg_quality])
    assert ok
    return np.asarray(cv2.imdecode(jpeg, cv2.IMREAD_COLOR), dtype=np.uint8)


def _samples(looks: dict[str, Look], difficulty: Difficulty, seed: int) -> Iterator[Sample]:
    for i, code in enumerate(codes(seed)):
        for j, (look_name, look) in enumerate(looks.items()):
            rng = np.random.default_rng([seed, i, j, difficulty == Difficulty.HARD])
            yield Sample(f"{code.name}/{look_name}", code, look_name, difficulty, render(code, look, rng))


def easy(seed: int = DEFAULT_SEED) -> list[Sample]:
    return list(_samples(EASY_LOOKS, Difficulty.EASY, seed))


def hard(seed: int = DEFAULT_SEED) -> list[Sample]:
    return list(_samples(HARD_LOOKS, Difficulty.HARD, seed))


def blank_frame(seed: int = DEFAULT_SEED) -> np.ndarray:
    """A table top with no code on it."""
    return np.asarray(np.clip(_background(np.random.default_rng(seed)), 0, 255), dtype=np.uint8)


def rate(samples: list[Sample], matches: Callable[[Sample], bool]) -> float:
    return sum(1 for s in samples if matches(s)) / len(samples)
