"""Liveness from a stream of measured faces: an active blink challenge and a passive replay check."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from drivers.face_metrics import Grey


class BlinkPhase(StrEnum):
    WAITING_OPEN = "waiting_open"  # learning how open this person's eyes are
    OPEN = "open"  # a baseline is known; waiting for the lids to drop
    CLOSED = "closed"  # the lids dropped; waiting for them to rise again
    BLINKED = "blinked"


@dataclass(frozen=True, slots=True)
class LivenessRules:
    open_frames: int = 3  # frames of open eyes needed before a blink counts
    closed_ratio: float = 0.60  # openness below this share of the baseline is a closed eye
    reopen_ratio: float = 0.85  # and back above this share is open again
    replay_diff: float = 0.6  # mean absolute grey difference (0..255) below which two face crops are "the same"
    max_replayed_share: float = 0.5  # more repeated crops than this share means a replayed still
    window: int = 60  # frames remembered for the replay check
    turn: bool = True  # also ask for a head turn to the villager's left and back
    turn_yaw: float = 0.09  # yaw beyond the frontal baseline (in inter-eye distances) that counts as turned
    back_yaw: float = 0.05  # and within this of the baseline again is back


@dataclass(frozen=True, slots=True)
class LivenessVerdict:
    blinked: bool
    replayed: bool
    frames: int
    turned: bool = True

    @property
    def live(self) -> bool:
        return self.blinked and self.turned and not self.replayed


class TurnPhase(StrEnum):
    FRONTAL = "frontal"  # learning where this face's nose sits when it looks straight at the camera
    TURNED = "turned"  # it went far enough to the villager's left
    DONE = "done"  # and came back


class TurnChallenge:
    """A head turn to the villager's left and back, from the yaw of the 5 landmarks.

    A real head turns about its neck and the nose, nearer the camera than the eyes, moves sideways more than
    they do; a photograph tilted or slid in front of the camera moves all its features together, so its
    yaw hardly changes. Yaw is measured against this face's own frontal baseline (faces differ), taken
    from the frontal frames before the turn. Positive yaw is the villager's left in an unmirrored frame.
    """

    def __init__(self, rules: LivenessRules) -> None:
        self._rules = rules
        self._frontal: list[float] = []
        self.phase = TurnPhase.FRONTAL

    def baseline(self) -> float:
        return float(np.median(self._frontal)) if self._frontal else 0.0

    def learn(self, yaw: float) -> None:
        """A frontal frame (while the blink is asked for)."""
        if self.phase is TurnPhase.FRONTAL:
            self._frontal = [*self._frontal[-29:], yaw]

    def feed(self, yaw: float) -> TurnPhase:
        if not self._frontal or self.phase is TurnPhase.DONE:
            return self.phase
        delta = yaw - self.baseline()
        if self.phase is TurnPhase.FRONTAL and delta >= self._rules.turn_yaw:
            self.phase = TurnPhase.TURNED
        elif self.phase is TurnPhase.TURNED and abs(delta) <= self._rules.back_yaw:
            self.phase = TurnPhase.DONE
        return self.phase


class BlinkChallenge:
    """Counts a blink: open eyes for a few frames, a dip below `closed_ratio` of them, and open again.

    The baseline is the median of the open frames seen so far, so it is this person's eyes under this
    light, not a fixed number: the measure (`eye_openness`) varies a lot between faces.
    """

    def __init__(self, rules: LivenessRules) -> None:
        self._rules = rules
        self._open: list[float] = []
        self.phase = BlinkPhase.WAITING_OPEN

    def baseline(self) -> float:
        return float(np.median(self._open)) if self._open else 0.0

    def feed(self, openness: float) -> BlinkPhase:
        rules = self._rules
        if self.phase is BlinkPhase.BLINKED:
            return self.phase
        base = self.baseline()
        if self.phase is BlinkPhase.CLOSED:
            if openness >= rules.reopen_ratio * base:
                self.phase = BlinkPhase.BLINKED
            return self.phase
        if len(self._open) >= rules.open_frames and openness < rules.closed_ratio * base:
            self.phase = BlinkPhase.CLOSED
            return self.phase
        # Eyes that drift wider than the baseline (the villager was squinting) simply raise it.
        if not self._open or openness >= rules.reopen_ratio * base:
            self._open = [*self._open[-29:], openness]
        if len(self._open) >= rules.open_frames:
            self.phase = BlinkPhase.OPEN
        return self.phase

    def eyes_open(self, openness: float) -> bool:
        return bool(self._open) and openness >= self._rules.reopen_ratio * self.baseline()


class ReplayCheck:
    """Flags a still picture fed as video: a live camera never delivers the same face crop twice.

    Sensor noise alone changes every pixel a little from frame to frame. A still image injected as the
    video feed, or a short loop of stills (an "open" and a "closed" photo toggled), repeats crops exactly
    or almost exactly; that is what this counts. A printed photo in front of a real camera is *not*
    caught here (the sensor adds noise): the blink challenge refuses that.
    """

    def __init__(self, rules: LivenessRules) -> None:
        self._rules = rules
        self._seen: deque[Grey] = deque(maxlen=rules.window)
        self._repeats = 0
        self._frames = 0

    def feed(self, face: Grey) -> None:
        small = face[::4, ::4].astype(np.int16)
        limit = self._rules.replay_diff
        if any(float(np.abs(small - old).mean()) < limit for old in self._seen):
            self._repeats += 1
        self._seen.append(small.astype(np.uint8))
        self._frames += 1

    @property
    def frames(self) -> int:
        return self._frames

    def replayed(self) -> bool:
        # Two frames are not evidence either way; judge only once a few have been compared.
        if self._frames < 3:
            return False
        return self._repeats > self._rules.max_replayed_share * (self._frames - 1)


class LivenessJudge:
    """Both checks over one capture attempt; restarted when the face is lost or changes."""

    def __init__(self, rules: LivenessRules | None = None) -> None:
        self._rules = rules or LivenessRules()
        self.restart()

    def restart(self) -> None:
        self.blink = BlinkChallenge(self._rules)
        self.replay = ReplayCheck(self._rules)
        self.turn = TurnChallenge(self._rules)

    @property
    def turning(self) -> bool:
        """The blink is done and the head turn is what is asked for now."""
        return self._rules.turn and self.blink.phase is BlinkPhase.BLINKED and self.turn.phase is not TurnPhase.DONE

    def feed(self, openness: float, face: Grey, yaw: float = 0.0) -> LivenessVerdict:
        if self.turning:
            self.turn.feed(yaw)
        else:
            self.blink.feed(openness)
            self.turn.learn(yaw)
        self.replay.feed(face)
        return self.verdict()

    def verdict(self) -> LivenessVerdict:
        return LivenessVerdict(
            blinked=self.blink.phase is BlinkPhase.BLINKED,
            replayed=self.replay.replayed(),
            frames=self.replay.frames,
            turned=not self._rules.turn or self.turn.phase is TurnPhase.DONE,
        )
