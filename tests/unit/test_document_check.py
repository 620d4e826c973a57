"""The OpenCV document quality check on generated page photos: sharp, blurred, cut off, glaring, no page."""

from __future__ import annotations

import cv2
import numpy as np

from drivers.document import OpenCvDocumentChecker
from drivers.fake.document import BLURRED_PAGE, GOOD_PAGE, FakeDocumentChecker
from kiosk.ports import DocumentHint
from tests.unit.document_pages import page_photo, to_frame

CHECK = OpenCvDocumentChecker()


def test_a_sharp_whole_page_passes_and_comes_back_as_a_small_jpeg() -> None:
    verdict = CHECK.check(to_frame(page_photo()))
    assert verdict.ok and verdict.hint is DocumentHint.OK
    assert verdict.jpeg[:2] == b"\xff\xd8" and len(verdict.jpeg) < 60_000
    page = cv2.imdecode(np.frombuffer(verdict.jpeg, np.uint8), cv2.IMREAD_GRAYSCALE)
    assert page is not None and page.shape[0] > page.shape[1]  # the page (portrait), not the whole desk


def test_a_blurred_photo_is_refused_as_blurred() -> None:
    blurred = cv2.GaussianBlur(page_photo(), (0, 0), 3)
    verdict = CHECK.check(to_frame(blurred.astype(np.uint8)))
    assert not verdict.ok and verdict.hint is DocumentHint.BLURRED
    assert verdict.sharpness < CHECK._t.min_sharpness and verdict.jpeg == b""


def test_a_page_cut_off_by_the_edge_is_not_whole() -> None:
    for offset in ((300, 0), (0, 60), (-200, 0)):
        assert CHECK.check(to_frame(page_photo(offset=offset))).hint is DocumentHint.NOT_WHOLE


def test_glare_makes_a_page_unreadable() -> None:
    assert CHECK.check(to_frame(page_photo(light=255))).hint is DocumentHint.UNREADABLE


def test_no_page_at_all() -> None:
    empty = np.full((480, 640, 3), 45, np.uint8)
    assert CHECK.check(to_frame(empty)).hint is DocumentHint.NOT_WHOLE


def test_the_fake_plays_its_script() -> None:
    fake = FakeDocumentChecker([BLURRED_PAGE, GOOD_PAGE])
    frame = to_frame(page_photo())
    assert [fake.check(frame).ok for _ in range(3)] == [False, True, True] and fake.seen == 3
