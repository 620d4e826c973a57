"""The tour's walk through 我的证明, 出示证明 and 互证, on the villager enrolled by the tour (DEMO_VILLAGERS[1]).

Only what comes from outside the kiosk is staged (ui/demo_county.py): the county's trust and status lists, the
credentials the issuers hand out as QR codes, the traffic bureau's request; the fake camera shows each code
held up to it. Everything else goes through the real window, view-models and flows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from drivers.fake.camera import FakeCamera
from drivers.fake.card import FakeCardReader
from drivers.fake.people import DEMO_VILLAGERS
from drivers.fake.qr_frame import qr_frame
from kiosk.domain.consent import ENROLMENT
from kiosk.identity.registry import EnrolmentRecord
from ui.demo_county import DemoCounty
from ui.tour import TOUR_PIN, Tour, TourError, _type_pin, wait_until
from ui.viewmodels.proofdesk import ProofDesk
from ui.viewmodels.signin import SignInPhase
from ui.window import KioskWindow

VILLAGER = 1  # enrolled by the tour's first enrolment
SUBJECT = 2  # the one vouched for (enrolled by the cadre's walk, or here if that walk did not run)


def hold_up(window: KioskWindow, payload: str | None) -> None:
    camera = window.services.camera.loaded()
    if not isinstance(camera, FakeCamera):
        raise TourError("the tour needs the fake camera")
    frame = qr_frame(payload.encode(), 1280, 960) if payload else np.full((480, 640, 3), 150, dtype=np.uint8)
    camera.play([frame])


def _on(w: KioskWindow, name: str) -> Callable[[], bool]:
    return lambda: w.current is not None and w.current.name == name


def _preview_live(w: KioskWindow) -> None:
    preview = getattr(w.current, "preview", None)
    if preview is None:
        raise TourError("no camera preview on this screen")
    seen = preview.frames_shown
    wait_until(lambda: preview.frames_shown > seen, "the camera preview")


def _enrolled(w: KioskWindow, index: int) -> str:
    """The DID of a demo villager, enrolling them straight through the registry if nobody did yet."""
    core = w.services.core
    card = DEMO_VILLAGERS[index]
    person = core.registry.find(card.id_number)
    if person is not None:
        return person.did
    record = EnrolmentRecord(
        card=card,
        face_jpeg=None,
        face_template=None,
        identity_check="cadre",
        face_summary=None,
        consent={"version": ENROLMENT.version, "text_sha256": ENROLMENT.sha256},
        mode="self",
        witness=None,
    )
    return core.registry.enrol(record, TOUR_PIN).did


def _sign_in(tour: Tour, reader: FakeCardReader, entry: str) -> None:
    w = tour.window
    w.proofs.open(entry)
    vm = w.signin
    if vm is None:
        raise TourError("sign-in did not start")
    reader.place(DEMO_VILLAGERS[VILLAGER])
    wait_until(lambda: vm.state.phase is SignInPhase.PIN, "the villager's card")
    _type_pin(w, TOUR_PIN, vm)
    vm.submit_pin()
    wait_until(lambda: w.session is not None, "the sign-in")


def proofs_walk(tour: Tour, reader: FakeCardReader) -> None:
    w = tour.window
    w.go_home()
    did = _enrolled(w, VILLAGER)
    county = DemoCounty(w.services.core)
    county.broadcast()
    desk = ProofDesk(w.services.core)
    holder = county.holder(did)
    revoked = county.coop(holder)
    for token in (county.exam(holder, "惠兰医院")[0], county.land(holder)[0], revoked[0]):
        desk.import_qr(did, token)
    county.revoke(revoked[1])
    _wallet(tour, reader, county, did)
    _share(tour, county)
    _attest(tour, reader)
    _attest_refusals(tour, reader)
    w.go_home()


def _wallet(tour: Tour, reader: FakeCardReader, county: DemoCounty, did: str) -> None:
    w = tour.window
    _sign_in(tour, reader, "wallet")
    vm = w.proofs.wallet
    if vm is None:
        raise TourError("the wallet did not open")
    wait_until(lambda: _on(w, "wallet")() and vm.state.loaded, "the wallet")
    tour.shot("wallet")
    vm.turn(1)
    tour.shot("wallet_page2")
    vm.open_detail(vm.state.shown[0].id)
    wait_until(_on(w, "wallet_detail"), "the detail view")
    tour.shot("wallet_detail")
    vm.start_scan()
    wait_until(_on(w, "wallet_import"), "the scan screen")
    _preview_live(w)
    tour.shot("wallet_import")
    hold_up(w, county.exam(county.holder(did), "望京医院")[0])
    wait_until(lambda: vm.state.imported is not None, "the import")
    other = county.holder(_enrolled(w, SUBJECT))
    hold_up(w, county.exam(other)[0])  # someone else's report: not theirs to keep
    tour.shot("wallet_imported")  # meanwhile the camera's frames show the new code
    vm.start_scan()
    wait_until(lambda: vm.state.error is not None, "the refusal")
    tour.shot("wallet_import_refused")
    hold_up(w, None)


def _share(tour: Tour, county: DemoCounty) -> None:
    w = tour.window
    w.proofs.open("share")
    vm = w.proofs.share
    if vm is None:
        raise TourError("sharing did not open")
    _preview_live(w)
    tour.shot("share_scan")
    hold_up(w, county.request())
    wait_until(_on(w, "share_choose"), "the request")
    tour.shot("share_choose")
    vm.choose(vm.state.candidates[0].id)
    _type_pin(w, TOUR_PIN[:2], vm)
    tour.shot("share_pin")
    _type_pin(w, TOUR_PIN[2:], vm)
    vm.submit_pin()
    wait_until(_on(w, "share_done"), "the presentation")
    hold_up(w, county.request(grades=["一级"]))  # nothing she holds is from a 一级 hospital
    tour.shot("share_done")  # meanwhile the camera's frames show the new code, not the old one
    vm.start()
    wait_until(_on(w, "share_outcome"), "the refusal")
    tour.shot("share_outcome")
    hold_up(w, None)


def _attest(tour: Tour, reader: FakeCardReader) -> None:
    w = tour.window
    w.proofs.open("attest")
    vm = w.proofs.attest
    if vm is None:
        raise TourError("互证 did not open")
    tour.shot("attest_card")
    reader.place(DEMO_VILLAGERS[SUBJECT])
    wait_until(_on(w, "attest_relation"), "the other's card")
    vm.pick_relation("邻居")
    tour.shot("attest_relation")
    vm.next()
    vm.pick_statement("他（她）确实住在本村")
    tour.shot("attest_statement")
    vm.next()
    _type_pin(w, TOUR_PIN[:4], vm)
    tour.shot("attest_pin")
    _type_pin(w, TOUR_PIN[4:], vm)
    vm.submit_pin()
    wait_until(_on(w, "attest_done"), "the attestation")
    tour.shot("attest_done")


def _attest_refusals(tour: Tour, reader: FakeCardReader) -> None:
    w = tour.window
    w.proofs.open("attest")
    vm = w.proofs.attest
    if vm is None:
        raise TourError("互证 did not open")
    reader.place(DEMO_VILLAGERS[VILLAGER])  # their own card
    wait_until(lambda: vm.state.error is not None, "the refusal of one's own card")
    tour.shot("attest_self")
    attester = _enrolled(w, VILLAGER)
    cap = w.settings.credentials.max_peer_attestations
    with w.services.core.db.transaction() as conn:  # stands in for having vouched for `cap` people already
        for i in range(cap):
            conn.execute(
                "INSERT INTO attestation_given (credential_id, attester, subject, issued_ms, expires_s) "
                "VALUES (?, ?, ?, 0, ?)",
                (f"tour-{i}", attester, "did:lxt:410225:tour", 4_000_000_000),
            )
    vm.read_card()
    reader.place(DEMO_VILLAGERS[SUBJECT])
    wait_until(_on(w, "attest_outcome"), "the refusal at the cap")
    tour.shot("attest_outcome")
