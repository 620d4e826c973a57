"""Which ID card reader a kiosk has, from its settings: the one place a CardReader is chosen and built."""

from __future__ import annotations

from kiosk.config import Settings
from kiosk.ports import CardReader


def make_card_reader(settings: Settings) -> CardReader:
    """The reader `devices.card_reader` names. The fake one holds the demo villagers' cards, first one placed."""
    kind = settings.devices.card_reader
    if kind == "pcsc":
        from drivers.idcard.pcsc import PcscReader

        return PcscReader(settings.devices.pcsc_reader)
    if kind == "serial":
        from drivers.idcard.serial_sam import SerialSamReader

        return SerialSamReader(settings.devices.serial_port)
    from drivers.fake.card import FakeCardReader
    from drivers.fake.people import DEMO_VILLAGERS

    reader = FakeCardReader()
    reader.place(DEMO_VILLAGERS[0])
    return reader
