"""EspeakSpeaker: spoken prompts through espeak-ng, queued and interruptible, on their own `hw-speech` thread.

Trap (PLATFORM.md): the `cmn` voice of Debian 12's espeak-ng 1.51 reads tone numbers in English; the
`cmn-latn-pinyin` voice speaks Mandarin. The text goes to espeak-ng on standard input, never as an argument,
so nothing a prompt contains can be read as an option. Speech is a help, never a gate: a missing audio device
is logged once and the kiosk goes on silently.
"""

from __future__ import annotations

import logging
import queue
import shutil
import subprocess
import threading
from pathlib import Path

from kiosk.ports import DeviceUnavailable

logger = logging.getLogger(__name__)

VOICES = {"cmn": "cmn-latn-pinyin", "zh": "cmn-latn-pinyin", "en": "en"}
MAX_TEXT = 500  # a prompt is a sentence or two; anything longer is a mistake, not something to read for minutes


class EspeakSpeaker:
    """The `Speaker` port. `wav_dir` writes each utterance to a numbered WAV file instead of playing it
    (tests and diagnostics); `rate` is words per minute (slower than espeak's 175 for elderly listeners)."""

    def __init__(self, *, binary: str = "espeak-ng", rate: int = 140, wav_dir: Path | None = None) -> None:
        found = shutil.which(binary)
        if found is None:
            raise DeviceUnavailable(f"{binary} is not installed")
        self._binary = found
        self._rate = rate
        self._wav_dir = wav_dir
        self._jobs: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self._lock = threading.Lock()
        self._current: subprocess.Popen[bytes] | None = None
        self._last: tuple[str, str] | None = None
        self._closed = False
        self._warned = False
        self._count = 0
        self._thread = threading.Thread(target=self._run, name="hw-speech", daemon=True)
        self._thread.start()

    # --- the port ----------------------------------------------------------------------------------

    def say(self, text: str, lang: str = "cmn") -> None:
        if self._closed:
            raise DeviceUnavailable("the speaker is closed")
        job = (text.strip()[:MAX_TEXT], VOICES.get(lang, VOICES["cmn"]))
        if job[0]:
            self._last = job
            self._jobs.put(job)

    def interrupt(self) -> None:
        """Stop what is being said and forget what was waiting."""
        while True:
            try:
                self._jobs.get_nowait()
            except queue.Empty:
                break
        with self._lock:
            if self._current is not None and self._current.poll() is None:
                self._current.terminate()

    def replay(self) -> None:
        if self._last is not None and not self._closed:
            self.interrupt()
            self._jobs.put(self._last)

    @property
    def speaking(self) -> bool:
        with self._lock:
            busy = self._current is not None and self._current.poll() is None
        return busy or not self._jobs.empty()

    @property
    def spoken(self) -> int:
        """How many utterances were handed to espeak-ng (for tests and diagnostics)."""
        return self._count

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.interrupt()
        self._jobs.put(None)
        self._thread.join(timeout=5)

    # --- the hw-speech thread -----------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            self._speak(*job)

    def _speak(self, text: str, voice: str) -> None:
        argv = [self._binary, "-v", voice, "-s", str(self._rate), "--stdin"]
        if self._wav_dir is not None:
            argv += ["-w", str(self._wav_dir / f"utterance-{self._count + 1:04d}.wav")]
        with self._lock:
            if self._closed and self._jobs.empty():
                return
            self._current = subprocess.Popen(  # noqa: S603 - a fixed binary; the text goes on stdin
                argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            proc = self._current
        self._count += 1
        try:
            _, err = proc.communicate(text.encode("utf-8"), timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        if proc.returncode not in (0, -15) and not self._warned:
            # No sound card, a busy device: say it once; the screens carry every prompt in writing too.
            self._warned = True
            logger.warning(
                "espeak-ng could not speak (exit %s): %s", proc.returncode, err[-200:].decode(errors="replace")
            )
        with self._lock:
            self._current = None
