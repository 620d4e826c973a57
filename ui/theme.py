"""The design tokens of UI.md (colours, sizes) and the WCAG contrast formula that checks them. Qt-free.

Sizes are pixels at the reference screen (21.5" 1920×1080, about 102 px per inch); `Metrics` scales them to
the screen the kiosk really has, never below the reference, so millimetre floors hold on denser screens.
"""

from __future__ import annotations

from dataclasses import dataclass

FONT_FAMILY = "Noto Sans CJK SC"
REFERENCE_DPI = 102.0
MM_PER_INCH = 25.4

# Colours (UI.md "Tokens").
PRIMARY = "#0842A0"
ON_PRIMARY = "#FFFFFF"
TEXT = "#1A1A1A"
MUTED = "#4A4A4A"
BACKGROUND = "#FFFFFF"
SUCCESS = "#085A24"
WARNING = "#7A4100"
ERROR = "#A50E0E"
CADRE_BANNER = "#7A4100"
TECH_BANNER = "#333333"
TOP_BAR = "#F2F2F2"  # a quiet band behind the village name and the link state

# Every text/background pair the theme uses: the contrast test walks this list.
TEXT_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("body text", TEXT, BACKGROUND),
    ("muted text", MUTED, BACKGROUND),
    ("primary button", ON_PRIMARY, PRIMARY),
    ("secondary button", PRIMARY, BACKGROUND),
    ("success", SUCCESS, BACKGROUND),
    ("warning", WARNING, BACKGROUND),
    ("error", ERROR, BACKGROUND),
    ("top bar text", TEXT, TOP_BAR),
    ("top bar muted", MUTED, TOP_BAR),
    ("top bar success", SUCCESS, TOP_BAR),
    ("top bar warning", WARNING, TOP_BAR),
    ("cadre banner", ON_PRIMARY, CADRE_BANNER),
    ("technician banner", ON_PRIMARY, TECH_BANNER),
)
MIN_CONTRAST = 7.0

# Sizes in px at the reference DPI (UI.md).
TITLE_PX = 48
BODY_PX = 32
SMALL_PX = 28
KEYPAD_PX = 56
TILE_LABEL_PX = 40
TOP_BAR_PX = 96
BOTTOM_BAR_PX = 128
PRIMARY_W_PX = 320
PRIMARY_H_PX = 112
VILLAGER_TARGET_PX = 96
GAP_PX = 24
TILE_W_PX = 400
TILE_H_PX = 280
TILE_ICON_PX = 120
MIN_BUTTON_MM = 15.0


def _channel(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour written #RRGGBB."""
    h = hex_colour.lstrip("#")
    if len(h) != 6:
        raise ValueError(f"not a #RRGGBB colour: {hex_colour!r}")
    r, g, b = (_channel(int(h[i : i + 2], 16) / 255) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(fg: str, bg: str) -> float:
    a, b = relative_luminance(fg), relative_luminance(bg)
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


@dataclass(frozen=True, slots=True)
class Metrics:
    """Token sizes for one screen: px scaled by its DPI (never below the reference sizes)."""

    dpi: float = REFERENCE_DPI

    @property
    def scale(self) -> float:
        return max(1.0, self.dpi / REFERENCE_DPI)

    def px(self, reference_px: int) -> int:
        return round(reference_px * self.scale)

    def mm_to_px(self, mm: float) -> int:
        return round(mm * self.dpi / MM_PER_INCH + 0.4999)

    def button_min_px(self) -> int:
        """The smallest side of any button: 15 mm at this DPI, and never below UI.md's 72 px."""
        return max(self.mm_to_px(MIN_BUTTON_MM), self.px(72))


def stylesheet(m: Metrics) -> str:
    """The one Qt style sheet; widgets pick their role with the `role` dynamic property."""
    return f"""
QWidget {{ background: {BACKGROUND}; color: {TEXT}; font-family: "{FONT_FAMILY}"; font-size: {m.px(BODY_PX)}px; }}
QLabel[role="title"] {{ font-size: {m.px(TITLE_PX)}px; font-weight: bold; }}
QLabel[role="body"] {{ font-size: {m.px(BODY_PX)}px; }}
QLabel[role="small"] {{ font-size: {m.px(SMALL_PX)}px; color: {MUTED}; }}
QLabel[role="success"] {{ font-size: {m.px(BODY_PX)}px; color: {SUCCESS}; font-weight: bold; }}
QLabel[role="warning"] {{ font-size: {m.px(BODY_PX)}px; color: {WARNING}; font-weight: bold; }}
QLabel[role="error"] {{ font-size: {m.px(BODY_PX)}px; color: {ERROR}; font-weight: bold; }}
QLabel[role="pindots"] {{ font-size: {m.px(KEYPAD_PX)}px; letter-spacing: 8px; }}
QWidget[role="topbar"], QWidget[role="topbar"] QLabel {{ background: {TOP_BAR}; }}
QLabel[role="topbar"] {{ font-size: {m.px(SMALL_PX)}px; }}
QLabel[role="online"] {{ font-size: {m.px(SMALL_PX)}px; color: {SUCCESS}; background: {TOP_BAR}; }}
QLabel[role="offline"] {{ font-size: {m.px(SMALL_PX)}px; color: {WARNING}; background: {TOP_BAR}; }}
QPushButton {{
    background: {BACKGROUND}; color: {PRIMARY}; border: 3px solid {PRIMARY}; border-radius: 12px;
    font-size: {m.px(BODY_PX)}px; min-height: {m.px(VILLAGER_TARGET_PX)}px; min-width: {m.px(VILLAGER_TARGET_PX)}px;
    padding: 0 {m.px(16)}px;
}}
QPushButton:pressed {{ background: #DCE6F7; }}
QPushButton:disabled {{ color: {MUTED}; border-color: {MUTED}; }}
QPushButton[role="primary"] {{
    background: {PRIMARY}; color: {ON_PRIMARY}; font-weight: bold;
    min-width: {m.px(PRIMARY_W_PX)}px; min-height: {m.px(PRIMARY_H_PX)}px;
}}
QPushButton[role="primary"]:pressed {{ background: #06347F; }}
QPushButton[role="primary"]:disabled {{ background: {MUTED}; color: {ON_PRIMARY}; }}
QPushButton[role="key"] {{ font-size: {m.px(KEYPAD_PX)}px; font-weight: bold; }}
QToolButton[role="tile"] {{
    background: {BACKGROUND}; color: {PRIMARY}; border: 3px solid {PRIMARY}; border-radius: 16px;
    font-size: {m.px(TILE_LABEL_PX)}px; font-weight: bold;
    min-width: {m.px(TILE_W_PX)}px; min-height: {m.px(TILE_H_PX)}px;
}}
QToolButton[role="tile"]:pressed {{ background: #DCE6F7; }}
QLabel[role="banner-cadre"] {{ background: {CADRE_BANNER}; color: {ON_PRIMARY}; font-size: {m.px(SMALL_PX)}px; }}
QLabel[role="banner-tech"] {{ background: {TECH_BANNER}; color: {ON_PRIMARY}; font-size: {m.px(SMALL_PX)}px; }}
"""
