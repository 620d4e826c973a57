"""The tour's walk through the loan screens (issue 6), on the villager enrolled by the tour (DEMO_VILLAGERS[1]).

Only what comes from outside the kiosk is staged: the county's signed catalog broadcast (as the sync daemon
stores it once checked), the real-name credential the county issued to the villager, the bank's status answers
in the inbox, and, for the expired draft, the half hour that passes. The rest goes through the real window,
view-models and flows; the page check is scripted (a blurred page, then a clear one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from drivers.fake.card import FakeCardReader
from drivers.fake.document import BLURRED_PAGE, GOOD_PAGE, FakeDocumentChecker
from drivers.fake.people import DEMO_VILLAGERS
from kiosk.core import Core
from kiosk.credentials import jose, sdjwt
from kiosk.credentials.kinds import Vct
from kiosk.credentials.wallet import Source, Wallet
from kiosk.crypto import canonical
from kiosk.crypto.encoding import b64u
from kiosk.crypto.suites import get_suite
from ui.tour import TOUR_PIN, Tour, TourError, _type_pin, wait_until
from ui.viewmodels.loan import LoanPhase, LoanViewModel
from ui.viewmodels.signin import SignInPhase
from ui.window import KioskWindow

VILLAGER = 1  # enrolled by the tour's first enrolment
BANK = "lankao-rcb"
ISSUER = "did:web:gongan.lankao.gov.cn"


def _product(pid: str, name: str, purpose: str, low_wan: int, high_wan: int, **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": pid,
        "bank": BANK,
        "name": name,
        "purpose": purpose,
        "amount_min_fen": low_wan * 1_000_000,
        "amount_max_fen": high_wan * 1_000_000,
        "term_months": [6, 12, 24, 36],
        "rate_bp": 435,
        "credentials": [{"vct": Vct.REAL_NAME.value, "claims": ["name", "age_over_18", "region"]}],
        "materials": [],
        "eligibility": [{"rule": "adult"}, {"rule": "region", "prefix": "河南省兰考县"}],
    }
    base.update(extra)
    return base


def demo_catalog(bank_key: X25519PrivateKey) -> dict[str, Any]:
    """Five products of one bank, so the list has a second page; the first asks for a photographed page."""
    key = b64u(bank_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
    return {
        "banks": [{"id": BANK, "name": "兰考农商银行", "key": key}],
        "products": [
            _product(
                "huinong-01", "惠农贷", "种植、养殖、农资", 3, 200, materials=[{"id": "land", "name": "土地承包合同"}]
            ),
            _product("fupin-01", "扶贫小额贷", "种植、养殖", 1, 5),
            _product("chuangye-01", "创业担保贷", "开店、加工、运输", 5, 30),
            _product("nongji-01", "农机贷", "买农机", 3, 50),
            _product("jiating-01", "家庭农场贷", "种植、养殖、农资", 10, 300),
        ],
    }


def seed(core: Core, did: str, bank_key: X25519PrivateKey | None = None) -> X25519PrivateKey:
    """The catalog broadcast and a real-name credential for `did`, as the county would have delivered them;
    the bank's private key, which opens what the villager sends."""
    bank_key = bank_key or X25519PrivateKey.generate()
    payload = demo_catalog(bank_key)
    with core.db.transaction() as conn:
        conn.execute(
            "INSERT INTO broadcast (kind, version, payload, received_ms) VALUES ('catalog', 1, ?, 0) "
            "ON CONFLICT (kind) DO UPDATE SET version = excluded.version, payload = excluded.payload",
            (canonical.dumps(payload).decode(),),
        )
    wallet = Wallet(core.db, core.device.secret)
    ed = get_suite("ed25519")
    issuer = ed.signer(ed.generate())
    stored = core.keystore.get(did)
    now_s = int(core.time.now().at.timestamp())
    card = DEMO_VILLAGERS[VILLAGER]
    claims = {
        "name": card.name,
        "sex": "女",
        "ethnicity": "汉",
        "birth_date": "1958-03-12",
        "region": "河南省兰考县东坝头乡张庄村",
        "age_over_18": True,
        "age_over_60": True,
        "id_number_hash": "ab" * 32,
    }
    token = sdjwt.issue(
        signer=issuer,
        iss=ISSUER,
        kid="county-id-2026",
        vct=Vct.REAL_NAME.value,
        claims=claims,
        holder_jwk=jose.public_jwk(stored.suite, stored.public_key),
        iat=now_s - 60,
        exp=None,
    )
    jwk = jose.public_jwk(issuer.suite.name, issuer.public_key)
    verified = sdjwt.verify(token, lambda _i, _k, _v: jwk, now_s=now_s)
    with core.db.transaction() as conn:
        wallet.add(conn, verified, holder=did, issuer_name="兰考县公安局", source=Source.INBOX, now_ms=now_s * 1000)
    return bank_key


def bank_answers(core: Core, number: str, did: str, *events: tuple[str, dict[str, Any]]) -> None:
    """The bank's loan_status notices, as lxt-sync stores them in the inbox."""
    with core.db.transaction() as conn:
        for i, (status, extra) in enumerate(events):
            at = int(core.time.now().at.timestamp() * 1000) + i
            payload = {"application": number, "did": did, "status": status, "at_ms": at, **extra}
            conn.execute(
                "INSERT INTO inbox (id, kind, payload, received_ms) VALUES (?, 'loan_status', ?, ?)",
                (f"{number}-{status}-{i}", canonical.dumps(payload).decode(), at),
            )


def _phase(w: KioskWindow, phase: LoanPhase) -> Callable[[], bool]:
    def reached() -> bool:
        vm = w.loans.vm
        return vm is not None and vm.state.phase is phase and not vm.state.busy

    return reached


def _vm(w: KioskWindow) -> LoanViewModel:
    vm = w.loans.vm
    if vm is None:
        raise TourError("no loan view-model")
    return vm


def sign_in(w: KioskWindow, reader: FakeCardReader, tile: str) -> None:
    w.loans.open(tile)
    vm = w.signin
    if vm is None:
        raise TourError("sign-in did not start")
    reader.place(DEMO_VILLAGERS[VILLAGER])
    wait_until(lambda: vm.state.phase is SignInPhase.PIN, "the villager's card")
    _type_pin(w, TOUR_PIN, vm)
    vm.submit_pin()
    wait_until(lambda: w.session is not None, "the sign-in")


def loan_walk(tour: Tour, reader: FakeCardReader) -> None:
    w = tour.window
    core = w.services.core
    person = core.registry.find(DEMO_VILLAGERS[VILLAGER].id_number)
    if person is None:
        raise TourError("the tour's villager is not enrolled")
    seed(core, person.did)
    w.loans.documents = FakeDocumentChecker([BLURRED_PAGE, GOOD_PAGE])
    sign_in(w, reader, "loans")
    wait_until(_phase(w, LoanPhase.PRODUCTS), "the loan products")
    tour.shot("loan_products")
    vm = _vm(w)
    vm.choose("huinong-01")
    wait_until(_phase(w, LoanPhase.DETAILS), "the product's details")
    tour.shot("loan_details")
    vm.to_form()
    wait_until(_phase(w, LoanPhase.FORM), "the form")
    for d in "10000":
        vm.key(d)
    vm.set_purpose("种植")
    vm.set_term(12)
    vm.submit_form()
    wait_until(lambda: not vm.state.busy and vm.state.error is not None, "the amount refused")
    tour.shot("loan_form_refused")
    vm.clear_amount()
    for d in "50000":
        vm.key(d)
    tour.shot("loan_form")
    vm.submit_form()
    wait_until(_phase(w, LoanPhase.MATERIALS), "the materials")
    screen = w.current
    preview = getattr(screen, "preview", None)
    if preview is not None:
        w.services.start_devices()
        wait_until(lambda: preview.frames_shown > 0, "the page preview")
    tour.shot("loan_materials")
    vm.capture()
    wait_until(lambda: not vm.state.busy and vm.state.material is not None and vm.state.material.verdict is not None,
               "the page check")  # fmt: skip
    tour.shot("loan_materials_blurred")
    vm.retake()
    vm.capture()
    wait_until(lambda: vm.state.material is not None and vm.state.material.kept and not vm.state.busy, "a clear page")
    tour.shot("loan_materials_clear")
    vm.next_material()
    wait_until(_phase(w, LoanPhase.REVIEW), "the review")
    tour.shot("loan_review")
    vm.to_pin()
    _type_pin(w, TOUR_PIN[:3], vm)
    tour.shot("loan_pin")
    _type_pin(w, TOUR_PIN[3:], vm)
    vm.submit_pin()
    wait_until(_phase(w, LoanPhase.DONE), "the receipt")
    tour.shot("loan_done")
    receipt = vm.state.receipt
    if receipt is None:
        raise TourError("no receipt")
    bank_answers(core, receipt.number, person.did, ("received", {}), ("under_review", {}))
    vm.show_applications()
    wait_until(_phase(w, LoanPhase.APPLICATIONS), "my applications")
    tour.shot("loan_mine")
    vm.open_application(receipt.number)
    wait_until(_phase(w, LoanPhase.APPLICATION), "the application")
    tour.shot("loan_application")
    vm.ask_withdraw()
    tour.shot("loan_withdraw")
    _resume_and_expire(tour, reader, person.did)


def _resume_and_expire(tour: Tour, reader: FakeCardReader, did: str) -> None:
    w = tour.window
    w.go_home()
    sign_in(w, reader, "loans")
    wait_until(_phase(w, LoanPhase.PRODUCTS), "the loan products")
    vm = _vm(w)
    vm.choose("fupin-01")
    wait_until(_phase(w, LoanPhase.DETAILS), "the details")
    vm.to_form()
    wait_until(_phase(w, LoanPhase.FORM), "the form")
    w.go_home()  # interrupted: the draft stays sealed for the next sign-in
    sign_in(w, reader, "progress")
    wait_until(_phase(w, LoanPhase.RESUME), "the unfinished application offered")
    tour.shot("loan_resume")
    w.go_home()
    core = w.services.core
    limit_ms = (core.settings.loans.draft_resume_s + 60) * 1000
    with core.db.transaction() as conn:  # stands in for the time that passes until the next visit
        conn.execute("UPDATE loan_draft SET updated_ms = updated_ms - ? WHERE holder = ?", (limit_ms, did))
    sign_in(w, reader, "loans")
    wait_until(_phase(w, LoanPhase.NOTICE), "the expired draft's notice")
    tour.shot("loan_notice")
    w.go_home()
