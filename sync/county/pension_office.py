"""The simulated social-security office (社保所) for the pension qualification check, for the demo and tests:
reads committed `pension.proof_of_life` transactions from the ledger and answers through the kiosk's inbox with
`service_status` items (the same kind the service office uses for `service.request`, sync/county/office.py).

What it answers (docs/protocol.md, "The pension office"):
- a passed check (a live face matched on the kiosk, or a cadre's check in person): `approved`,
  "认证成功，请在明年（YYYY年M月）底前再来认证", `next_due` the last day of that month a year on (the check is
  yearly; the month is the one the villager came in, in the county's time); a cadre's check says so;
- a failed one: `rejected`, why in plain words and where to go instead (the township office, or a cadre's visit).
It keeps who qualified for which year (`qualified`), which is what pension payments would read. Each sealed block
is read once (the cursor is in `--state`), so a later pass answers only what was committed since.
"""

from __future__ import annotations

import argparse
import logging
import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from kiosk.tx import envelope as envm
from kiosk.tx.bodies import PensionProofOfLifeBody, validate_body
from sync.county.ledger import LedgerReader
from sync.county.party import InboxAnswer, LedgerCursor, add_loop_args, run_party

logger = logging.getLogger(__name__)

INBOX_KIND = "service_status"
PENSION_TX = "pension.proof_of_life"
CHINA = timezone(timedelta(hours=8), "CST")

_WHY = {
    "not_live": "没有通过活体检查",
    "no_match": "和登记的本人对不上",
    "no_face": "摄像头没有看清",
}
_INSTEAD = "请本人带身份证到乡镇社保所办理，或请村干部上门认证"


PensionAnswer = InboxAnswer  # its payload a service_status inbox payload


def next_due(at_ms: int) -> date:
    """The last day of the same month a year later, in the county's time: the next check is due by then."""
    day = datetime.fromtimestamp(at_ms / 1000, tz=UTC).astimezone(CHINA).date()
    year, month = day.year + 1, day.month
    first_after = date(year + (month == 12), month % 12 + 1, 1)
    return first_after - timedelta(days=1)


class PensionOffice:
    def __init__(self, state: Path) -> None:
        self._db = sqlite3.connect(state, isolation_level=None)
        self._cursor = LedgerCursor(self._db)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS qualified (did TEXT NOT NULL, period TEXT NOT NULL, tx TEXT NOT NULL, "
            "check_kind TEXT NOT NULL, due TEXT NOT NULL, PRIMARY KEY (did, period))"
        )

    def close(self) -> None:
        self._db.close()

    def qualified(self, did: str, period: str) -> str | None:
        """How the villager qualified for that year ("face_match" or "cadre"), or None."""
        row = self._db.execute(
            "SELECT check_kind FROM qualified WHERE did = ? AND period = ?", (did, period)
        ).fetchone()
        return None if row is None else str(row[0])

    def scan(self, ledger: LedgerReader, now_ms: int) -> list[PensionAnswer]:
        """Every sealed block not read yet: one answer per pension check in it."""
        return self._cursor.scan(ledger, (PENSION_TX,), lambda env: [self._one(env, now_ms)])

    def _one(self, env: envm.Envelope, now_ms: int) -> PensionAnswer:
        body = validate_body(env.type, env.body)
        if not isinstance(body, PensionProofOfLifeBody):
            raise TypeError("a pension.proof_of_life envelope with another body")
        base: dict[str, Any] = {"request": env.id, "did": body.did, "service": PENSION_TX, "at_ms": now_ms}
        if body.outcome == "failed":
            why = _WHY.get(body.reason or "", "认证没有通过")
            logger.info("pension check %s: failed (%s)", env.id[:12], body.reason)
            return PensionAnswer(env.kiosk, {**base, "status": "rejected", "reason": f"{why}，{_INSTEAD}"})
        due = next_due(env.ts)
        by = "（村干部当面认证）" if body.check == "cadre" else ""
        self._db.execute(
            "INSERT OR IGNORE INTO qualified (did, period, tx, check_kind, due) VALUES (?, ?, ?, ?, ?)",
            (body.did, body.period, env.id, body.check, due.isoformat()),
        )
        logger.info("pension check %s: qualified for %s", env.id[:12], body.period)
        words = f"认证成功{by}，请在明年（{due.year}年{due.month}月）底前再来认证"
        return PensionAnswer(env.kiosk, {**base, "status": "approved", "reason": words, "next_due": due.isoformat()})


# --- lxt-county pension-office ---------------------------------------------------------------------------------


def run_pension_office(args: argparse.Namespace) -> int:
    args.state.parent.mkdir(parents=True, exist_ok=True)
    return run_party(args, PensionOffice(args.state), INBOX_KIND, "request")


def add_pension_office_command(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "pension-office", help="the simulated social-security office: answer committed pension checks via the inbox"
    )
    p.add_argument("--ledger", type=Path, required=True)
    p.add_argument("--state", type=Path, default=Path("county/pension-office.sqlite3"))
    add_loop_args(p)
    p.set_defaults(func=run_pension_office)
