"""Silero VAD (v6, the ONNX model bundled in faster-whisper) run frame by frame: 512-sample windows at
16 kHz (32 ms), each with the 64 samples before it as context, carrying the LSTM state from window to
window. The state can be saved and restored, so a replica that resumes a socket continues the exact
probabilities the previous one would have computed."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

WINDOW = 512
CONTEXT = 64
_STATE_FLOATS = 128 + 128 + CONTEXT


class SileroStream:
    def __init__(self, session: object, state: bytes | None = None) -> None:
        self._session = session
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(CONTEXT, dtype=np.float32)
        if state:
            values = np.frombuffer(state, dtype="<f4")
            if len(values) == _STATE_FLOATS:
                self._h = values[:128].reshape(1, 1, 128).copy()
                self._c = values[128:256].reshape(1, 1, 128).copy()
                self._context = values[256:].copy()

    def probability(self, window: npt.NDArray[np.float32]) -> float:
        """The speech probability of one 512-sample window."""
        frame = np.concatenate([self._context, window]).astype(np.float32, copy=False)[None, :]
        out, self._h, self._c = self._session.run(None, {"input": frame, "h": self._h, "c": self._c})  # type: ignore[attr-defined]
        self._context = window[-CONTEXT:].astype(np.float32, copy=True)
        return float(np.asarray(out).reshape(-1)[0])

    def state(self) -> bytes:
        return (
            np.concatenate([self._h.reshape(-1), self._c.reshape(-1), self._context]).astype("<f4").tobytes()
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
