"""The county keys a kiosk pins: the ledger key that signs block headers (and so every receipt).

The loading itself lives in kiosk/tx/keys.py, so the UI (which never imports sync) reads the same key.
"""

from __future__ import annotations

from kiosk.tx.keys import county_key_file, load_county_key, public_key_from_pem

__all__ = ["county_key_file", "load_county_key", "public_key_from_pem"]
