"""espeak-ng (Debian package `espeak-ng`): the fallback engine. A formant voice, robotic but intelligible,
about 20-40 ms a sentence. One process per sentence (text on stdin, a WAV on stdout), so it is thread-safe
and a crash loses one sentence, never the service."""

from __future__ import annotations

import shutil
import subprocess

from services.tts.domain import read_wav
from services.tts.engines.base import EngineUnavailable, SynthesisError

DEFAULT_VOICE = "en-us"
DEFAULT_WORDS_PER_MINUTE = 165  # espeak-ng's 175 sounds hurried next to Piper
TIMEOUT_S = 15.0


class EspeakEngine:
    name = "espeak"
    thread_safe = True

    def __init__(
        self,
        voice: str | None = None,
        *,
        binary: str | None = None,
        words_per_minute: int = DEFAULT_WORDS_PER_MINUTE,
    ) -> None:
        found = binary or shutil.which("espeak-ng")
        if not found or not shutil.which(found):
            raise EngineUnavailable(
                "espeak-ng is not installed: apt-get install espeak-ng (Debian/Ubuntu; brew install espeak-ng)"
            )
        self.binary = found
        self.voice = voice or DEFAULT_VOICE
        self.words_per_minute = words_per_minute
        try:  # one probe: the voice exists, and the sample rate it speaks at
            _, self.sample_rate = self._run("ready")
        except SynthesisError as exc:
            raise EngineUnavailable(f"espeak-ng cannot speak with voice {self.voice!r}: {exc}") from exc

    def synthesize(self, text: str) -> bytes:
        pcm, rate = self._run(text)
        if rate != self.sample_rate:
            raise SynthesisError(f"espeak-ng answered at {rate} Hz, not {self.sample_rate} Hz")
        return pcm

    def _run(self, text: str) -> tuple[bytes, int]:
        try:
            done = subprocess.run(
                [self.binary, "-v", self.voice, "-s", str(self.words_per_minute), "--stdout"],
                input=text.encode(),  # on stdin: text starting with "-" is never read as an option
                capture_output=True,
                timeout=TIMEOUT_S,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SynthesisError(f"espeak-ng did not run: {exc}") from exc
        if done.returncode != 0:
            raise SynthesisError(done.stderr.decode(errors="replace").strip() or f"exit {done.returncode}")
        try:
            return read_wav(done.stdout)
        except ValueError as exc:
            raise SynthesisError(f"espeak-ng wrote no usable WAV: {exc}") from exc
