"""我的证明, 出示证明 and 互证 as the window runs them: sign-in first when needed, the view-models, the QR looker.

The window owns one `Proofs`. A tile tapped before anyone signed in leads through sign-in and then on to the
screen it named. The view-models hold the signed-in `VillagerSession` (the window's); `end()` — called by the
window's `end_session` (home, the idle timeout, the lock, a fault) — cancels them, so nothing of the villager
stays on a screen. Imported with the window, before the core is open: the core's modules come inside.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from ui.background import Lane

if TYPE_CHECKING:
    from kiosk.ports import Frame
    from ui.viewmodels.attest import AttestViewModel
    from ui.viewmodels.proofdesk import ProofDesk
    from ui.viewmodels.share import ShareViewModel
    from ui.viewmodels.wallet import WalletViewModel
    from ui.window import KioskWindow

logger = logging.getLogger(__name__)

ENTRIES = ("wallet", "share", "attest")


class Proofs:
    def __init__(self, window: KioskWindow) -> None:
        self._window = window
        self._after: str | None = None  # where to go once the villager has signed in
        self._desk: ProofDesk | None = None
        self.wallet: WalletViewModel | None = None
        self.share: ShareViewModel | None = None
        self.attest: AttestViewModel | None = None
        self._scanner: Any = None
        self._watch: Any = None
        self.frame: Frame | None = None  # the newest frame the looker took, for the screens' preview

    @property
    def desk(self) -> ProofDesk:
        if self._desk is None:
            from ui.viewmodels.proofdesk import ProofDesk

            self._desk = ProofDesk(self._window.services.core)
        return self._desk

    @property
    def holds_work(self) -> bool:
        return any(vm is not None and vm.holds_work for vm in (self.share, self.attest))

    # --- entering -------------------------------------------------------------------------------------

    def open(self, entry: str) -> None:
        """A tile or a button: straight in when someone is signed in, else through sign-in first."""
        w = self._window
        if entry not in ENTRIES:
            raise ValueError(f"no such entry {entry!r}")
        if not w.services.ready:
            w.after_core(lambda: self.open(entry))
            return
        if w.session is None:
            w.start_signin()  # ends any session first, which forgets an older `_after`
            self._after = entry
            return
        self.end()
        self._start(entry)

    def after_signin(self) -> str:
        """The window calls this once the villager is in: the screen to show."""
        entry, self._after = self._after, None
        if entry is None:
            return "villager_home"
        return self._start(entry, go=False)

    def _start(self, entry: str, go: bool = True) -> str:
        w = self._window
        session = w.session
        if session is None:
            return "villager_home"
        bg, shuffle = w.background, w.services.options.shuffle_keypad
        hw, store = bg.runner(Lane.HW), bg.runner(Lane.STORE)
        if entry == "wallet":
            from ui.screens.wallet import route_wallet
            from ui.viewmodels.wallet import WalletViewModel

            wallet = self.wallet = WalletViewModel(self.desk, session.did, self.look, hw, store)
            wallet.subscribe(lambda: route_wallet(w, wallet))
            wallet.refresh()
            target = "wallet"
        elif entry == "share":
            from ui.screens.share import route_share
            from ui.viewmodels.share import ShareViewModel

            share = self.share = ShareViewModel(self.desk, session, self.look, hw, store, shuffle)
            share.subscribe(lambda: route_share(w, share))
            target = "share_scan"
        else:
            from ui.screens.attest import route_attest
            from ui.viewmodels.attest import AttestViewModel

            attest = self.attest = AttestViewModel(self.desk, session, w.services.cards.session, hw, store, shuffle)
            attest.subscribe(lambda: route_attest(w, attest))
            target = "attest_card"
        if go:
            w.go(target)
        return target

    def end(self) -> None:
        self._after = None
        self.frame = None  # the camera's picture of whoever stood there goes with the session
        for vm in (self.wallet, self.share, self.attest):
            if vm is not None:
                vm.cancel()
        self.wallet = self.share = self.attest = None

    # --- the camera -------------------------------------------------------------------------------------

    def look(self, timeout_s: float, fresh: bool) -> str | None:
        """One look at the camera for a newly shown code (hw lane only); its text, or None."""
        from drivers.qr import ZbarQrScanner
        from drivers.qr_watch import QrWatch
        from kiosk.errors import DeviceError
        from kiosk.ports import DeviceTimeout

        if self._scanner is None:
            self._scanner = ZbarQrScanner()
            self._watch = QrWatch(self._scanner)
        if fresh:
            self._watch.reset()
        camera = self._window.services.camera
        deadline = time.monotonic() + timeout_s
        while (left := deadline - time.monotonic()) > 0:
            try:
                frame = camera.latest_frame(min(0.3, left))
                self.frame = frame  # one reference swapped: the GUI thread reads it without a lock
                found = self._watch.offer(frame)
            except DeviceTimeout:
                continue
            except DeviceError as exc:
                if type(exc).__name__ == "QrPayloadTooLarge":
                    raise
                time.sleep(max(0.0, deadline - time.monotonic()))  # no camera (yet): wait out the look
                return None
            for payload in found:
                if payload.text is not None:
                    return str(payload.text).strip()
        return None

    def close(self) -> None:
        self.end()
        if self._scanner is not None:
            self._scanner.close()
            self._scanner = None
