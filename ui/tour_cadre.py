"""The tour's walk through cadre mode: the hidden entry, a refusal, the cadre's home, an assisted enrolment that
ends with the cadre's PIN, the queue with an item the county sent back, today's activity, and leaving.

Called by `ui.tour.walk` after the villager's enrolment (the villager enrolled there, DEMO_VILLAGERS[1], is the
cadre here). Only what comes from the county is staged: the roster broadcast and the rejection.
"""

from __future__ import annotations

from drivers.fake.card import FakeCardReader
from drivers.fake.people import DEMO_VILLAGERS
from kiosk.crypto import canonical
from kiosk.identity.roster import ROLES_KIND
from kiosk.store import outbox
from ui.screens.cadre import CadreHomeScreen
from ui.screens.home import HomeScreen
from ui.tour import PORTRAIT, TOUR_PIN, Tour, TourError, _start_face, _type_pin, wait_until
from ui.viewmodels.cadre import EntryPhase
from ui.viewmodels.enrolment import EnrolPhase
from ui.window import KioskWindow

CADRE_CARD = 1  # enrolled by the tour's first enrolment
ASSISTED_CARD = 2
TOUR_REJECTION = "unknown_kiosk: the county does not know this kiosk yet"


def tap_village_name(window: KioskWindow, times: int = 5) -> None:
    """Five taps on the village name of home's top bar, as a finger would (press and release)."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    home = window.screen_named("home")
    if not isinstance(home, HomeScreen):
        raise TourError("home is not the home screen")
    for _ in range(times):
        QTest.mouseClick(home.place, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(10, 10))


def publish_roster(window: KioskWindow, did: str, name: str = "王建国") -> None:
    """Stands in for lxt-sync storing the county's verified `roles` broadcast."""
    payload = {"cadres": [{"did": did, "name": name, "village": "张庄村"}]}
    with window.services.core.db.transaction() as conn:
        conn.execute(
            "INSERT INTO broadcast (kind, version, payload, received_ms) VALUES (?, 1, ?, 0) "
            "ON CONFLICT (kind) DO UPDATE SET version = version + 1, payload = excluded.payload",
            (ROLES_KIND, canonical.dumps(payload).decode()),
        )


def _on(window: KioskWindow, name: str) -> bool:
    return window.current is not None and window.current.name == name


def enter_cadre_mode(tour: Tour, reader: FakeCardReader, card: int | None) -> None:
    """The hidden entry, then the card (None: no card, for a kiosk that has no roster to check it against)."""
    w = tour.window
    w.go_home()
    tap_village_name(w)
    entry = w.cadre.entry
    if entry is None:
        raise TourError("the cadre entry did not start")
    if card is None:
        return
    wait_until(lambda: _on(w, "cadre_card"), "the cadre's card screen")
    tour.shot("cadre_card")
    reader.place(DEMO_VILLAGERS[card])
    wait_until(lambda: entry.state.phase is not EntryPhase.CARD, "the cadre's card")


def _cadre_did(w: KioskWindow) -> str:
    person = w.services.core.registry.find(DEMO_VILLAGERS[CADRE_CARD].id_number)
    if person is None:
        raise TourError("the tour's cadre is not enrolled")
    return person.did


def cadre_walk(tour: Tour, reader: FakeCardReader) -> None:
    w = tour.window
    enter_cadre_mode(tour, reader, None)  # no roster has arrived yet: refused before any card
    wait_until(lambda: _on(w, "cadre_outcome"), "the refusal without a roster")
    tour.shot("cadre_no_roster")
    publish_roster(w, _cadre_did(w))
    enter_cadre_mode(tour, reader, CADRE_CARD)
    entry = w.cadre.entry
    wait_until(lambda: _on(w, "cadre_pin"), "the cadre's PIN")
    _type_pin(w, TOUR_PIN[:2], entry)
    tour.shot("cadre_pin")
    _type_pin(w, TOUR_PIN[2:], entry)
    if entry is not None:
        entry.submit_pin()
    wait_until(lambda: _on(w, "cadre_home"), "the cadre's home")
    tour.shot("cadre_home")
    tour.shot("cadre_home_portrait", PORTRAIT)
    _assisted_enrolment(tour, reader)
    _desk(tour)
    home = w.current
    if isinstance(home, CadreHomeScreen):
        home.primary.click()  # 退出
    wait_until(lambda: _on(w, "home") and not w.cadre.active, "home after cadre mode")
    enter_cadre_mode(tour, reader, ASSISTED_CARD)  # enrolled now, but not on the roster
    wait_until(lambda: _on(w, "cadre_outcome"), "the refusal of a villager who is not a cadre")
    tour.shot("cadre_not_cadre")
    w.go_home()


def _assisted_enrolment(tour: Tour, reader: FakeCardReader) -> None:
    w = tour.window
    home = w.current
    if not isinstance(home, CadreHomeScreen):
        raise TourError("not on the cadre's home")
    home.tiles[0].click()  # 协助办理
    vm = w.enrolment
    if vm is None:
        raise TourError("the assisted enrolment did not start")
    reader.place(DEMO_VILLAGERS[ASSISTED_CARD])
    wait_until(lambda: vm.state.phase is EnrolPhase.CONFIRM, "the villager's card")
    tour.shot("cadre_assisted_confirm")
    vm.confirm(True)
    vm.consent(True)
    _start_face(w)
    vm.capture_face(w.background.run_on_main)
    wait_until(lambda: vm.state.phase is EnrolPhase.PIN, "the face capture")
    for _ in range(2):
        _type_pin(w, TOUR_PIN, vm)
        vm.submit_pin()
    wait_until(lambda: _on(w, "cadre_witness"), "the witness step")
    _type_pin(w, TOUR_PIN[:4], vm)
    tour.shot("cadre_witness")
    _type_pin(w, TOUR_PIN[4:], vm)
    vm.submit_pin()
    wait_until(lambda: vm.state.phase is EnrolPhase.DONE, "the witnessed enrolment to be saved")
    tour.shot("cadre_assisted_done")
    with w.services.core.db.transaction() as conn:  # stands in for the county sending it back
        outbox.mark_rejected(conn, str(vm.state.tx_id), TOUR_REJECTION, 0)
    w.go_home(ask=False)  # in cadre mode: the cadre's home
    wait_until(lambda: _on(w, "cadre_home"), "the cadre's home after the enrolment")


def _desk(tour: Tour) -> None:
    w = tour.window
    w.go("cadre_queue")
    screen = w.current
    wait_until(lambda: screen is not None and any(r.isVisible() for r in getattr(screen, "rows", [])), "the queue")
    tour.shot("cadre_queue")
    w.go_home(ask=False)
    w.go("cadre_today")
    screen = w.current
    wait_until(lambda: screen is not None and any(r.isVisible() for r in getattr(screen, "rows", [])), "today")
    tour.shot("cadre_today")
    w.go_home(ask=False)
