"""Home's tiles: what each does. Qt-free (the labels are translation sources, marked in ui/text.py)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ui import text


class TileAction(StrEnum):
    ENROL = "enrol"
    SIGN_IN = "sign_in"  # card + PIN first, then the villager's own page
    WALLET = "wallet"  # 我的证明: sign-in first if nobody is signed in
    SHARE = "share"  # 出示证明: likewise
    LOANS = "loans"  # 贷款: likewise, then the products (or an unfinished application offered again)
    PROGRESS = "progress"  # 进度查询: likewise, then 我的申请
    SERVICES = "services"  # 政务服务: likewise, then the services list
    NOT_OPEN = "not_open"  # the service comes with a later release: a calm screen, never a dead end


@dataclass(frozen=True, slots=True)
class Tile:
    key: str
    label: str
    action: TileAction


TILES: tuple[Tile, ...] = (
    Tile("enrol", text.TILE_ENROL, TileAction.ENROL),
    Tile("proofs", text.TILE_PROOFS, TileAction.WALLET),
    Tile("show", text.TILE_SHOW, TileAction.SHARE),
    Tile("loans", text.TILE_LOANS, TileAction.LOANS),
    Tile("services", text.TILE_SERVICES, TileAction.SERVICES),
    Tile("progress", text.TILE_PROGRESS, TileAction.PROGRESS),
)
