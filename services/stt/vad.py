"""Silero VAD (v6, the ONNX model bundled in faster-whisper) run frame by frame: 512-sample windows at
16 kHz (32 ms), each with the 64 samples before it as context, carrying the LSTM state from window to
window. The state can be saved and restored, so a replica that resumes a socket continues the exact
probabilities the previous one would have computed.

The LSTM state is reset after a second without speech. Carried through a long silence it drifts into a
state where speech barely registers: measured on the bench's Piper clip after digital silence, the speech
probabilities over its first second averaged 0.84 after 1 s of silence, 0.61 after 10 s and 0.52 after
45 s (0.49 after 45 s of -50 dBFS noise), hovering around the 0.5 / 0.35 thresholds, so the onset came
late (the answer's first words fell outside the pre-roll) and speech flickered into "pauses" that cut it
into fragments. Reset every second of quiet, the state never holds more than a second of silence: 0.84
after 45 s too, and the onset on time. (Silero's own streaming iterator resets the state per stream.)
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

WINDOW = 512
CONTEXT = 64
_LSTM_FLOATS = 128 + 128
_STATE_FLOATS = _LSTM_FLOATS + CONTEXT  # a saved state without the quiet counter (still read)
QUIET_BELOW = 0.2  # a window this unlikely to be speech is quiet (silence and room noise: 0.00-0.05)
RESET_AFTER_QUIET = 31  # windows (~1 s): the LSTM state is reset after this many quiet ones in a row


class SileroStream:
    def __init__(self, session: object, state: bytes | None = None) -> None:
        self._session = session
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(CONTEXT, dtype=np.float32)
        self._quiet = 0  # quiet windows in a row since the last speech (or reset)
        if state:
            values = np.frombuffer(state, dtype="<f4")
            if len(values) in (_STATE_FLOATS, _STATE_FLOATS + 1):
                self._h = values[:128].reshape(1, 1, 128).copy()
                self._c = values[128:256].reshape(1, 1, 128).copy()
                self._context = values[256:_STATE_FLOATS].copy()
                self._quiet = int(values[_STATE_FLOATS]) if len(values) > _STATE_FLOATS else 0

    def probability(self, window: npt.NDArray[np.float32]) -> float:
        """The speech probability of one 512-sample window."""
        frame = np.concatenate([self._context, window]).astype(np.float32, copy=False)[None, :]
        out, self._h, self._c = self._session.run(None, {"input": frame, "h": self._h, "c": self._c})  # type: ignore[attr-defined]
        self._context = window[-CONTEXT:].astype(np.float32, copy=True)
        probability = float(np.asarray(out).reshape(-1)[0])
        self._quiet = self._quiet + 1 if probability < QUIET_BELOW else 0
        if self._quiet >= RESET_AFTER_QUIET:
            self._h = np.zeros((1, 1, 128), dtype=np.float32)
            self._c = np.zeros((1, 1, 128), dtype=np.float32)
            self._quiet = 0
        return probability

    def state(self) -> bytes:
        return (
            np.concatenate(
                [
                    self._h.reshape(-1),
                    self._c.reshape(-1),
                    self._context,
                    np.array([self._quiet], dtype=np.float32),
                ]
            )
            .astype("<f4")
            .tobytes()
        )


class SileroVad:
    """The port `VoiceActivity` on faster-whisper's bundled Silero model (one ONNX session per process,
    one thread; a window costs about 0.1 ms)."""

    def __init__(self) -> None:
        self._session: object | None = None

    def load(self) -> None:
        """Load the ONNX model (at start-up; building the app loads nothing)."""
        if self._session is None:
            from faster_whisper.vad import get_vad_model

            self._session = get_vad_model().session

    def stream(self, state: bytes | None = None) -> SileroStream:
        self.load()
        return SileroStream(self._session, state)
