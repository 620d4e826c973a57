"""Home: six large tiles with icons, and the kiosk's state in one quiet line. No timeout here."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QGridLayout, QWidget

from ui import icons, text, theme
from ui.screen import Screen
from ui.text import tr
from ui.viewmodels.home import TILES, Tile, TileAction
from ui.viewmodels.status import KioskStatus
from ui.viewmodels.taps import TapCounter
from ui.widgets import TileButton, label

if TYPE_CHECKING:
    from ui.window import KioskWindow

_ICONS: dict[str, icons.Draw] = {
    "enrol": icons.id_card,
    "proofs": icons.wallet,
    "show": icons.qr,
    "loans": icons.money,
    "services": icons.building,
    "progress": icons.progress,
}


class HomeScreen(Screen):
    name = "home"
    personal = False

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        m = window.metrics
        self.set_text(tr(text.HOME_TITLE))
        self.home.hide()
        self.grid_box = QWidget()
        self.grid = QGridLayout(self.grid_box)
        self.grid.setSpacing(m.px(theme.GAP_PX))
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.tiles: list[TileButton] = []
        icon_px = m.px(theme.TILE_ICON_PX)
        for tile in TILES:
            icon = icons.icon(_ICONS[tile.key], icon_px)
            self.tiles.append(TileButton(tr(tile.label), icon, icon_px, self._action(tile)))
        self._columns = 0
        self._lay_out(3)
        self.content.addWidget(self.grid_box)
        self.state_line = label("", "small")
        self.state_line.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.content.addWidget(self.state_line)
        # The cadre's hidden entry: five taps within 3 s on the village name (top left), on home only.
        self.cadre_taps = TapCounter(time.monotonic)
        self.place.installEventFilter(self)

    def enter(self) -> None:
        self.window_.watch_cards()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 — Qt's name
        if watched is self.place and event.type() is QEvent.Type.MouseButtonRelease and self.cadre_taps.tap():
            self.window_.cadre.start_entry()
            return True
        return super().eventFilter(watched, event)

    def leave(self) -> None:
        self.window_.stop_watching_cards()

    def _action(self, tile: Tile) -> Callable[[], None]:
        def act() -> None:
            w = self.window_
            if tile.action is TileAction.ENROL:
                w.start_enrolment()
            elif tile.action is TileAction.SIGN_IN:
                w.start_signin()
            elif tile.action is TileAction.WALLET:
                w.proofs.open("wallet")
            elif tile.action is TileAction.SHARE:
                w.proofs.open("share")
            elif tile.action in (TileAction.LOANS, TileAction.PROGRESS):
                w.loans.open(tile.action.value)
            elif tile.action is TileAction.SERVICES:
                w.gov.open("services")
            else:
                w.show_not_open(tr(tile.label))

        return act

    def _lay_out(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for button in self.tiles:
            self.grid.removeWidget(button)
        for i, button in enumerate(self.tiles):
            self.grid.addWidget(button, i // columns, i % columns)
        self.grid.invalidate()
        self.grid_box.updateGeometry()  # the parent layout caches the old minimum size until told

    def set_portrait(self, portrait: bool) -> None:
        # Landscape: two rows of three. Portrait: three rows of two.
        super().set_portrait(portrait)
        self._lay_out(2 if portrait else 3)

    def show_status(self, status: KioskStatus) -> None:
        super().show_status(status)
        link = tr(text.ONLINE) if status.online else tr(text.OFFLINE)
        pending = tr(text.PENDING).format(n=status.pending) if status.pending else tr(text.NOTHING_PENDING)
        self.state_line.setText(tr(text.STATE_LINE).format(link=link, pending=pending))
