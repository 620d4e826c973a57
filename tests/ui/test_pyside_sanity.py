"""A guard on the Qt binding itself: PySide6 6.12.0 drops a reference to None on every call of a void method.

On Python 3.11 (None is not immortal before 3.12) a kiosk running for hours then dies with "none_dealloc".
pyproject.toml keeps PySide6 below 6.12; this test fails if an upgrade brings the bug back.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QApplication, QLabel

pytestmark = pytest.mark.ui


def test_void_calls_keep_the_reference_count_of_none(qapp: QApplication) -> None:
    label = QLabel("x")
    before = sys.getrefcount(None)
    for _ in range(1000):
        label.setText("y")
        label.updateGeometry()
    assert abs(sys.getrefcount(None) - before) < 50
