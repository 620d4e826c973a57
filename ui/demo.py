"""`lxt-demo`: the kiosk on simulated devices, for a newcomer — one command, nothing to set up by hand.

Today it provisions a demo kiosk under `var/demo/`, makes a demo county enrolment key, and walks a made-up
villager through the whole enrolment flow on fake devices, printing each step, the signed transaction that
lands in the outbox, its verification, and the evidence opened with the county's key. The broker, county
bridge, sync daemon and touchscreen UI join it as they are built.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import numpy as np
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from drivers.diag import main as diag_main
from drivers.fake.camera import FakeCamera
from drivers.fake.card import FakeCardReader
from drivers.fake.face import FakeFaceAnalyser
from drivers.fake.people import DEMO_VILLAGERS
from kiosk import messages
from kiosk.clock import SystemClock
from kiosk.config import Settings, load_settings
from kiosk.core import Core, open_core
from kiosk.domain.idcard import IdCard
from kiosk.errors import KioskError, UserFacingError
from kiosk.flows.enrolment import EnrolmentDevices, EnrolmentFlow, age_on, mask_id
from kiosk.identity.device import provision
from kiosk.identity.evidence import generate_keypair, open_evidence
from kiosk.ports import FaceHint
from kiosk.store import outbox
from kiosk.tx import envelope
from kiosk.tx.verify import verify
from ui.demo_stack import office_enrolment_key, run_stack

DEMO_PIN = "382917"
HINTS = {
    FaceHint.NO_FACE: "请看摄像头",
    FaceHint.MOVE_CLOSER: "请靠近一点",
    FaceHint.MOVE_BACK: "请离远一点",
    FaceHint.CENTRE: "请把脸放进框里",
    FaceHint.HOLD_STILL: "请保持不动",
    FaceHint.BLINK: "请眨眨眼",
    FaceHint.TURN_HEAD: "请向左转头，再转回来",
    FaceHint.TOO_DARK: "光线太暗",
    FaceHint.OK: "拍好了",
}


def _say(text: str) -> None:
    print(text, flush=True)


def _county_key(data_dir: Path, settings: Settings, key_file: Path | None = None) -> X25519PrivateKey:
    """The demo county's enrolment key: private part beside the kiosk (a real county keeps it far away); the
    stack's is the credential office's (`key_file`), so its bridge can open the evidence."""
    private_file = key_file or data_dir.parent / "county-side" / "enrolment.key"
    if private_file.exists():
        key = serialization.load_pem_private_key(private_file.read_bytes(), password=None)
        if not isinstance(key, X25519PrivateKey):
            raise KioskError(f"{private_file} is not an X25519 key")
        return key
    private, public_pem = generate_keypair()
    private_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(private_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(
            private.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    target = settings.paths.enrolment_key_file
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(public_pem)
    return private


def _settings(data_dir: Path) -> Settings:
    env = {k: v for k, v in os.environ.items() if k.startswith("LXT_") and k != "LXT_CONFIG"}
    env["LXT_PATHS__DATA_DIR"] = str(data_dir)
    return load_settings(None, env)


def _prepare(data_dir: Path, fresh: bool, key_file: Path | None = None) -> tuple[Settings, X25519PrivateKey]:
    if fresh:  # only what the demo itself made: its kiosk folder and its county-side key
        for folder in (data_dir, data_dir.parent / "county-side"):
            if folder.exists():
                shutil.rmtree(folder)
    settings = _settings(data_dir)
    county = _county_key(data_dir, settings, key_file)
    if not (settings.paths.secrets_dir / "device.secret").exists():
        ident = settings.identity
        device = provision(settings.paths.secrets_dir, ident.county_id, ident.kiosk_id, ident.device_suite)
        _say(f"已初始化演示终端 {device.kid}（设备密钥 {device.suite}）")
    return settings, county


def _next_villager(core: Core) -> IdCard:
    """The first made-up villager old enough to enrol and not enrolled here yet."""
    today = core.time.now().at.date()
    for card in DEMO_VILLAGERS:
        old_enough = age_on(card.birth_date, today) >= core.settings.enrolment.min_age_years
        if old_enough and core.registry.find(card.id_number) is None:
            return card
    raise KioskError("every demo villager is enrolled on this demo kiosk: run lxt-demo --fresh")


def _enrol(core: Core, reader: FakeCardReader) -> str:
    camera = FakeCamera([np.full((480, 640, 3), 96, dtype=np.uint8)], fps=15)
    devices = EnrolmentDevices(reader, camera, FakeFaceAnalyser())
    flow = EnrolmentFlow(core.registry, devices, core.time, core.settings.enrolment)
    try:
        _say("\n第1步，共4步  请把身份证放在感应区")
        summary = flow.read_card()
        _say(f"  读到身份证：{summary.name}  {summary.masked_id}")
        _say("\n第2步，共4步  请听一听，同意后继续")
        _say("  " + flow.consent_text.text)
        flow.consent(True)
        _say("  → 同意")
        _say("\n第3步，共4步  请看摄像头")
        flow.capture_face(lambda hint: _say(f"  {HINTS[hint]}"))
        _say("\n第4步，共4步  请输入6位数字密码（演示密码 " + DEMO_PIN + "）")
        flow.enter_pin(DEMO_PIN)
        _say("  请再输入一遍")
        receipt = flow.confirm_pin(DEMO_PIN)
    finally:
        camera.close()
    _say(f"\n办好了！您的数字身份：{receipt.did}")
    _say(f"  交易 {receipt.tx_id[:16]}… 第 {receipt.seq} 笔，待上链（联网后自动同步）")
    return receipt.tx_id


def _show_transaction(core: Core, tx_id: str, county: X25519PrivateKey) -> None:
    item = outbox.get(core.db.conn, tx_id)
    if item is None:
        raise KioskError("the transaction is not in the outbox")
    env = envelope.parse(item.envelope)
    verify(env, core.registry.resolver)
    shown: dict[str, Any] = env.to_json()
    sealed = dict(shown["body"]["evidence"])
    sealed["ct"] = sealed["ct"][:24] + f"…（{len(sealed['ct'])} 字符）"
    shown["body"] = {**shown["body"], "evidence": sealed}
    _say("\n发件箱里的交易（已签名，已用县里同一个校验器验证通过）：")
    _say(json.dumps(shown, ensure_ascii=False, indent=2))
    evidence = open_evidence(dict(env.body["evidence"]), county, str(env.body["did"]))
    card = evidence["card"]
    _say("\n只有县里的密钥能打开的核验材料：")
    _say(f"  姓名 {card['name']}，身份证 {mask_id(card['id_number'])}")
    _say(f"  身份证照片 {len(evidence['card_photo'])} 字符，现场人脸照片已附：{evidence['identity_check']}")


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lxt-demo", description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("var/demo/kiosk"), help="where the demo kiosk lives")
    parser.add_argument("--fresh", action="store_true", help="forget earlier demo runs first")
    parser.add_argument(
        "--stack", action="store_true", help="the whole system: broker, county bridge, sync daemon and the app"
    )
    args = parser.parse_args(argv)
    if args.stack:
        return _run_stack(args.data_dir.resolve(), args.fresh)
    try:
        settings, county = _prepare(args.data_dir.resolve(), args.fresh)
        core = open_core(settings, SystemClock())
        try:
            villager = _next_villager(core)
            reader = FakeCardReader()
            reader.place(villager)
            tx_id = _enrol(core, reader)
            _show_transaction(core, tx_id, county)
        finally:
            core.close()
    except UserFacingError as exc:
        _say(f"没有办成：{messages.text(exc)}")
        return 1
    except KioskError as exc:
        print(f"lxt-demo: {exc}", file=sys.stderr)
        return 2
    _say("\n终端状态（lxt-diag status）：")
    os.environ["LXT_PATHS__DATA_DIR"] = str(settings.paths.data_dir)
    try:
        diag_main(["status"])
    except SystemExit as done:
        return int(done.code or 0)
    return 0


def _run_stack(data_dir: Path, fresh: bool) -> int:
    if fresh:  # what an earlier stack demo left: the kiosk, and the county, broker, logs and panel beside it
        for name in (data_dir.name, "county-side", "county", "broker", "logs", "panel"):
            shutil.rmtree(data_dir.parent / name, ignore_errors=True)
    try:
        # The credential office makes the county enrolment key first: the kiosk seals evidence to it.
        key_file = office_enrolment_key(_settings(data_dir))
        settings, county = _prepare(data_dir, False, key_file)
    except KioskError as exc:
        print(f"lxt-demo: {exc}", file=sys.stderr)
        return 2

    def enrol_headless() -> str:
        core = open_core(settings, SystemClock())
        try:
            reader = FakeCardReader()
            reader.place(_next_villager(core))
            tx_id = _enrol(core, reader)
            _show_transaction(core, tx_id, county)
            return tx_id
        finally:
            core.close()

    return run_stack(settings, enrol_headless)


def main() -> None:
    sys.exit(run(sys.argv[1:]))
