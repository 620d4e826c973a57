"""`lxt-county issuer|verifier|trust|status|issue|request|verify`: the county's credential office and its tools.

The county identity authority and the simulated issuers (hospitals, banks, co-operatives) and verifiers (交通局)
are named parties of the office (`sync/county/credstore.py`), each with its own key in the office's `keys/`.
The trust list and the status lists are built from the office and published as the signed broadcasts `trust`
and `status`; `issue` makes an SD-JWT VC as a QR PNG or an inbox delivery, `request` a verifier's signed
presentation request (shown as a QR, or sent to a villager's kiosk inbox), `verify` checks a presentation against
the same lists the kiosks hold, and `verifier inbox` opens the presentations delivered through the county.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from pathlib import Path
from typing import Any

from kiosk.credentials import jose, pending, request, sdjwt, verifier
from kiosk.credentials.errors import CredentialError
from kiosk.credentials.kinds import Vct, kind_of, validate_claims
from kiosk.credentials.sdjwt import StatusRef
from kiosk.credentials.status import StatusLists, TokenStatus
from kiosk.credentials.trust import TrustList
from kiosk.credentials.wallet import INBOX_KIND, credential_id
from kiosk.errors import ConfigError
from kiosk.identity import did as didm
from kiosk.tx.notice import NoticeKind, sign_notice
from sync.county import console_cli as console
from sync.county import verifier_inbox
from sync.county.credstore import CredentialOffice, Party, check_party_name
from sync.county.ledger import wall_ms
from sync.county.ledger_cli import load_county_signer
from sync.county.registry import KioskRegistry
from sync.topics import PREFIX, KioskTopics

DEFAULT_DIR = Path("county/credentials")


def vct_of(text: str) -> str:
    """A vct by its full urn or its short name (`health_exam`, `health-exam`)."""
    full = text if text.startswith("urn:") else f"urn:lxt:vct:{text.replace('-', '_')}:1"
    return kind_of(full).vct.value


def _json_arg(text: str, what: str) -> Any:
    try:
        raw = Path(text[1:]).read_text(encoding="utf-8") if text.startswith("@") else text
        return json.loads(raw)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{what} is not JSON (or @FILE holding JSON): {exc}") from exc


def _office(args: argparse.Namespace) -> CredentialOffice:
    return CredentialOffice(args.credentials, args.county)


def _qr(text: str, path: Path, scale: int) -> None:
    import segno  # only these commands draw QR codes

    # Byte mode, low error correction: the most a code holds (sdjwt.MAX_QR_BYTES); zbar reads raw bytes.
    segno.make(text, error="l", micro=False, boost_error=False).save(str(path), scale=scale, border=4)


def _publish_notice(args: argparse.Namespace, kind: NoticeKind, topic: str, body: dict[str, Any]) -> bytes:
    raw = sign_notice(kind, args.county, wall_ms(), body, load_county_signer(args.county_key))
    client = console.Broker.of(args).connect()
    try:
        console._publish(client, topic, raw, retain=kind is NoticeKind.BROADCAST)
    finally:
        console._done(client)
    return raw


def _broadcast(args: argparse.Namespace, kind: str, payload: dict[str, Any]) -> int:
    state = console.ConsoleState(args.state)
    try:
        version = state.next_version(kind)
    finally:
        state.close()
    body = {"kind": kind, "version": version, "payload": payload}
    _publish_notice(args, NoticeKind.BROADCAST, f"{PREFIX}/{args.county}/broadcast/{kind}", body)
    return version


# --- parties ------------------------------------------------------------------------------------------------


def cmd_party_add(args: argparse.Namespace) -> int:
    if args.role == "issuer":
        rights: Any = [vct_of(v) for v in args.vct]
        if not rights:
            raise ConfigError("an issuer needs at least one --vct")
    else:
        rights = []
        for text in args.may_request:
            vct, _, claims = text.partition(":") if not text.startswith("urn:") else text.rpartition(":")
            rights.append({"vct": vct_of(vct), "claims": [c for c in claims.split(",") if c]})
        if not rights:
            raise ConfigError("a verifier needs at least one --may-request VCT:claim,claim")
    kid = args.kid or f"{args.name}-1"
    grade = getattr(args, "grade", None)
    party = Party(check_party_name(args.name), args.role, args.id, kid, args.display, grade, rights)
    office = _office(args)
    try:
        jwk = office.add_party(party, args.suite)
        enc = office.enc_public(party.name)
    finally:
        office.close()
    shown: dict[str, Any] = {"name": party.name, "role": party.role, "id": party.id, "kid": party.kid, "jwk": jwk}
    if enc is not None:
        shown["enc"] = enc  # a verifier's encryption key: presentations through the county are sealed to it
    print(json.dumps(shown))
    return 0


def cmd_enc_key(args: argparse.Namespace) -> int:
    office = _office(args)
    try:
        if office.party(args.name).role != "verifier":
            raise ConfigError(f"{args.name} is not a verifier")
        enc = office.make_enc_key(args.name)
    finally:
        office.close()
    print(json.dumps({"name": args.name, "enc": enc}))
    return 0


def cmd_enrolment_key(args: argparse.Namespace) -> int:
    office = _office(args)
    try:
        public_pem = office.make_enrolment_key()
    finally:
        office.close()
    args.out.write_bytes(public_pem)
    print(f"county enrolment key made; public key for the kiosks (lxt-provision --county-enrolment-key): {args.out}")
    return 0


# --- trust and status lists -----------------------------------------------------------------------------------


def cmd_trust(args: argparse.Namespace) -> int:
    office = _office(args)
    try:
        payload = office.trust_payload(wall_ms())
    finally:
        office.close()
    TrustList.from_json(payload)
    if args.out is not None:
        args.out.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    summary: dict[str, Any] = {"issuers": len(payload["issuers"]), "verifiers": len(payload["verifiers"])}
    if args.publish:
        summary["version"] = _broadcast(args, "trust", payload)
    print(json.dumps(summary))
    return 0


def _ref(text: str) -> tuple[str | None, StatusRef | None]:
    """A credential id (64 hex) or a status entry `URI#IDX`."""
    uri, sep, idx = text.rpartition("#")
    if sep and idx.isdigit():
        return None, StatusRef(uri, int(idx))
    return text, None


def cmd_status(args: argparse.Namespace) -> int:
    office = _office(args)
    changed = []
    try:
        for value, names in ((TokenStatus.INVALID, args.revoke), (TokenStatus.SUSPENDED, args.suspend)):
            for text in names:
                cid, ref = _ref(text)
                changed.append(office.set_status(value, credential=cid, ref=ref))
        for text in args.reinstate:
            cid, ref = _ref(text)
            changed.append(office.set_status(TokenStatus.VALID, credential=cid, ref=ref))
        payload = office.status_payload(wall_ms() // 1000, args.ttl)
    finally:
        office.close()
    StatusLists.from_json(payload)
    if args.out is not None:
        args.out.write_text(json.dumps(payload), encoding="utf-8")
    summary: dict[str, Any] = {"lists": len(payload["lists"]), "changed": [f"{r.uri}#{r.idx}" for r in changed]}
    if args.publish:
        summary["version"] = _broadcast(args, "status", payload)
    print(json.dumps(summary))
    return 0


# --- issuing, requesting, verifying -----------------------------------------------------------------------------


def _holder_jwk(args: argparse.Namespace) -> dict[str, Any]:
    if args.holder_jwk is not None:
        jwk = _json_arg(args.holder_jwk, "--holder-jwk")
        jose.key_of_jwk(jwk)
        return dict(jwk)
    if args.holder_did is None or args.registry is None:
        raise ConfigError("name the holder: --holder-jwk JWK, or --holder-did DID with --registry")
    registry = KioskRegistry(args.registry)
    try:
        events = registry.did_events(args.holder_did)
    finally:
        registry.close()
    if not events:
        raise ConfigError("the county has no committed enrolment of that DID")
    state = didm.resolve(args.holder_did, events)
    return jose.public_jwk(state.suite, state.public_key)


def cmd_issue(args: argparse.Namespace) -> int:
    vct = vct_of(args.vct)
    claims = _json_arg(args.claims, "--claims")
    validate_claims(Vct(vct), claims)
    holder = _holder_jwk(args)
    now_s = wall_ms() // 1000
    exp = None if args.days is None else now_s + args.days * 86_400
    office = _office(args)
    try:
        party = office.party(args.issuer)
        if party.role != "issuer" or vct not in party.rights:
            raise ConfigError(f"{args.issuer} may not issue {vct} (see lxt-county issuer add)")
        signer = office.signer(args.issuer)
        try:
            with office.write() as conn:
                ref = office.allocate_status(conn, args.issuer, "")
                token = sdjwt.issue(
                    signer=signer,
                    iss=party.id,
                    kid=party.kid,
                    vct=vct,
                    claims=claims,
                    holder_jwk=holder,
                    iat=now_s,
                    exp=exp,
                    status=ref,
                )
                cid = credential_id(token.split("~", 1)[0])
                office.bind_status(conn, ref, cid)
        finally:
            signer.wipe()
    finally:
        office.close()
    summary: dict[str, Any] = {"credential": cid, "status": f"{ref.uri}#{ref.idx}", "bytes": len(token)}
    if args.qr is not None:
        if len(token) > sdjwt.MAX_QR_BYTES:
            raise ConfigError(f"{len(token)} characters do not fit a QR code; deliver it through the inbox")
        _qr(token, args.qr, args.scale)
        summary["qr"] = str(args.qr)
    if args.inbox is not None:
        if args.holder_did is None or args.county_key is None:
            raise ConfigError("--inbox needs --holder-did (whose wallet) and --county-key (the notice's signature)")
        payload = {"holder": args.holder_did, "sd_jwt": token}
        item = {"id": secrets.token_hex(16), "kind": INBOX_KIND, "kiosk": args.inbox, "payload": payload}
        _publish_notice(args, NoticeKind.INBOX, KioskTopics(args.county, args.inbox).down_inbox, item)
        summary["inbox"] = item["id"]
    print(json.dumps(summary))
    print(token)
    return 0


def cmd_request(args: argparse.Namespace) -> int:
    now_s = wall_ms() // 1000
    office = _office(args)
    try:
        party = office.party(args.verifier)
        if party.role != "verifier":
            raise ConfigError(f"{args.verifier} is not a verifier")
        payload = {
            "iss": party.id,
            "purpose": args.purpose,
            "vct": vct_of(args.vct),
            "claims": [c for c in args.claims.split(",") if c],
            "accept": {"issuers": list(args.accept_issuer), "grades": list(args.accept_grade)},
            "nonce": secrets.token_urlsafe(18),
            "aud": party.id,
            "iat": now_s,
            "exp": now_s + args.valid,
            "response": args.response or ("county" if args.inbox else "qr"),
        }
        signer = office.signer(args.verifier)
        try:
            token = request.make_request(payload, signer, party.kid)
        finally:
            signer.wipe()
        request.parse_request(token, TrustList.from_json(office.trust_payload(0)), now_s=now_s)
    finally:
        office.close()
    if args.out is not None:
        args.out.write_text(token + "\n", encoding="ascii")
    if args.qr is not None:
        _qr(token, args.qr, args.scale)
    summary: dict[str, Any] = {"nonce": payload["nonce"], "aud": payload["aud"], "exp": payload["exp"]}
    summary.update(bytes=len(token), response=payload["response"], request=request.request_id(token))
    if args.inbox is not None:
        if args.to_did is None or args.county_key is None:
            raise ConfigError("--inbox needs --to-did (whose request) and --county-key (the notice's signature)")
        item = {
            "id": pending.item_id_of(token),
            "kind": pending.INBOX_KIND,
            "kiosk": args.inbox,
            "payload": {"holder": args.to_did, "request": token},
        }
        _publish_notice(args, NoticeKind.INBOX, KioskTopics(args.county, args.inbox).down_inbox, item)
        summary["inbox"] = item["id"]
    print(json.dumps(summary))
    print(token)
    return 0


def _lists(args: argparse.Namespace, office: CredentialOffice, now_s: int) -> tuple[TrustList, StatusLists]:
    trust_data = _json_arg(f"@{args.trust}", "--trust") if args.trust else office.trust_payload(0)
    status_data = _json_arg(f"@{args.status}", "--status") if args.status else office.status_payload(now_s)
    return TrustList.from_json(trust_data), StatusLists.from_json(status_data)


def cmd_verify(args: argparse.Namespace) -> int:
    try:
        token = (sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="ascii")).strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the presentation {args.file}: {exc}") from exc
    now_s = wall_ms() // 1000
    office = _office(args)
    try:
        trust, lists = _lists(args, office, now_s)
    finally:
        office.close()
    try:
        req = None
        if args.request is not None:
            text = Path(args.request).read_text(encoding="ascii").strip()
            req = request.parse_request(text, trust, now_s=now_s).payload
            nonce, aud = req.nonce, req.aud
        elif args.nonce is not None and args.aud is not None:
            nonce, aud = args.nonce, args.aud
        else:
            raise ConfigError("give --request FILE, or --nonce and --aud")
        found = verifier.verify_presentation(
            token, trust=trust, lists=lists, nonce=nonce, aud=aud, now_s=now_s, request=req
        )
    except CredentialError as exc:
        print(json.dumps({"ok": False, "reason": exc.reason.value, "detail": exc.detail}, ensure_ascii=False))
        print(f"lxt-county verify: refused: {exc.reason.value}: {exc.detail}", file=sys.stderr)
        return 1
    print(json.dumps({"ok": True, **found.to_json()}, ensure_ascii=False))
    return 0


# --- the parser ---------------------------------------------------------------------------------------------


def _office_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--county", required=True, help="six-digit county code")
    p.add_argument("--credentials", type=Path, default=DEFAULT_DIR, help="the credential office's directory")


def _publish_args(p: argparse.ArgumentParser, *, required: bool = False) -> None:
    """Broker and signing arguments as the console takes them (county is the office's)."""
    p.add_argument("--host", default="127.0.0.1", help="the county broker")
    p.add_argument("--port", type=int, default=8883, help="its port")
    p.add_argument("--ca", type=Path, help="CA certificate: turns TLS on")
    p.add_argument("--cert", type=Path, help="the console's client certificate")
    p.add_argument("--key", type=Path, help="the console's client key")
    p.add_argument("--client-id", default="lxt-console", help="MQTT client id prefix")
    p.add_argument("--county-key", type=Path, required=required, help="the county ledger private key (PEM)")
    p.add_argument("--state", type=Path, default=Path("county/console.sqlite3"), help="the console's own file")


def _party_parser(sub: Any, role: str) -> None:
    top = sub.add_parser(role, help=f"the {role}s of the credential office")
    inner = top.add_subparsers(dest=f"{role}_command", required=True)
    p = inner.add_parser("add", help=f"make a {role}'s key and record it for the trust list")
    p.add_argument("name", help="its name in the office (the key file), e.g. county, wangjing, jtj")
    p.add_argument("--id", required=True, help="its id: the iss of credentials, or the verifier id (aud)")
    p.add_argument("--display", required=True, help="the name villagers see, e.g. 望京医院, 交通局")
    p.add_argument("--kid", help="the key id in its JWS headers (default NAME-1)")
    p.add_argument("--suite", default="ecdsa-p256", choices=["ecdsa-p256", "ed25519"])
    if role == "issuer":
        p.add_argument("--grade", help="e.g. 三甲 for a hospital")
        p.add_argument("--vct", action="append", default=[], help="a credential type it may issue (repeat)")
    else:
        p.add_argument("--may-request", action="append", default=[], help="VCT:claim,claim it may ask for (repeat)")
    _office_args(p)
    p.set_defaults(func=cmd_party_add, role=role)
    if role == "verifier":
        p = inner.add_parser("enc-key", help="make the encryption key of a verifier recorded without one")
        p.add_argument("name")
        _office_args(p)
        p.set_defaults(func=cmd_enc_key)
        p = inner.add_parser("inbox", help="open and check the presentations delivered to a verifier; print claims")
        p.add_argument("name", help="the verifier's name in the office")
        p.add_argument("--all", action="store_true", help="also the ones read before")
        _office_args(p)
        p.set_defaults(func=verifier_inbox.cmd_inbox)
    if role == "issuer":
        p = inner.add_parser("enrolment-key", help="make the county enrolment key that opens the kiosks' evidence")
        p.add_argument("--out", type=Path, required=True, help="where to write its public key for the kiosks")
        _office_args(p)
        p.set_defaults(func=cmd_enrolment_key)


def add_credential_commands(sub: Any) -> None:
    _party_parser(sub, "issuer")
    _party_parser(sub, "verifier")

    p = sub.add_parser("trust", help="build the trust list from the office; --publish broadcasts it (kind trust)")
    _office_args(p)
    p.add_argument("--out", type=Path, help="also write it as a JSON file (for verifiers)")
    p.add_argument("--publish", action="store_true")
    _publish_args(p)
    p.set_defaults(func=cmd_trust)

    p = sub.add_parser("status", help="revoke, suspend or reinstate credentials; build and publish the status lists")
    _office_args(p)
    for flag in ("revoke", "suspend", "reinstate"):
        p.add_argument(f"--{flag}", action="append", default=[], help="a credential id or URI#IDX (repeat)")
    p.add_argument("--ttl", type=int, default=3600, help="seconds a kiosk may cache the lists")
    p.add_argument("--out", type=Path, help="also write the lists as a JSON file (for verifiers)")
    p.add_argument("--publish", action="store_true")
    _publish_args(p)
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("issue", help="issue an SD-JWT VC as a simulated issuer: printed, as a QR PNG or to an inbox")
    _office_args(p)
    p.add_argument("--issuer", required=True, help="the issuer's name in the office")
    p.add_argument("--vct", required=True, help="e.g. health_exam or urn:lxt:vct:health_exam:1")
    p.add_argument("--claims", required=True, help="the claims as JSON, or @FILE")
    p.add_argument("--holder-jwk", help="the holder's public JWK as JSON, or @FILE")
    p.add_argument("--holder-did", help="the holder's DID (its key from --registry; the wallet for --inbox)")
    p.add_argument("--registry", type=Path, help="the kiosk registry holding committed DID events")
    p.add_argument("--days", type=int, help="days until it expires (default: no expiry)")
    p.add_argument("--qr", type=Path, help="write it as a QR code PNG")
    p.add_argument("--scale", type=int, default=4, help="pixels per QR module")
    p.add_argument("--inbox", metavar="KIOSK", help="deliver it to this kiosk's inbox")
    _publish_args(p)
    p.set_defaults(func=cmd_issue)

    p = sub.add_parser("request", help="a verifier's signed presentation request, printed and as a QR PNG")
    _office_args(p)
    p.add_argument("--verifier", required=True, help="the verifier's name in the office")
    p.add_argument("--vct", required=True)
    p.add_argument("--claims", required=True, help="claim names, comma-separated")
    p.add_argument("--purpose", required=True, help="in plain words, e.g. 驾驶证体检")
    p.add_argument("--accept-issuer", action="append", default=[], help="an accepted issuer id (repeat)")
    p.add_argument("--accept-grade", action="append", default=[], help="an accepted issuer grade, e.g. 三甲")
    p.add_argument("--valid", type=int, default=600, help="seconds the request stays valid (at most a day)")
    p.add_argument("--out", type=Path, help="also write the request to a file (for verify --request)")
    p.add_argument("--qr", type=Path)
    p.add_argument("--scale", type=int, default=4)
    p.add_argument(
        "--response",
        choices=["qr", "county"],
        help="how the answer comes back: a QR shown at the kiosk, or sealed through the county (default: county "
        "with --inbox, else qr)",
    )
    p.add_argument("--to-did", help="the villager the request is for (with --inbox)")
    p.add_argument("--inbox", metavar="KIOSK", help="deliver the request to this kiosk's inbox for --to-did")
    _publish_args(p)
    p.set_defaults(func=cmd_request)

    p = sub.add_parser("verify", help="check a presentation against the trust and status lists; print its claims")
    p.add_argument("file", help="the presentation, or - for standard input")
    _office_args(p)
    p.add_argument("--request", type=Path, help="the request it answers (its nonce, audience and claims)")
    p.add_argument("--nonce")
    p.add_argument("--aud")
    p.add_argument("--trust", type=Path, help="a trust list JSON file (default: the office's)")
    p.add_argument("--status", type=Path, help="a status lists JSON file (default: the office's)")
    p.set_defaults(func=cmd_verify)
