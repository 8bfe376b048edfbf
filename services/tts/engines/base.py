"""What every engine adapter shares: its errors and the conversion of float audio to PCM16."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class EngineUnavailable(RuntimeError):
    """The engine cannot be loaded here; the message says what to install or set."""


class SynthesisError(RuntimeError):
    """The engine failed on one sentence."""


def float_to_pcm16(samples: Sequence[float] | np.ndarray) -> bytes:
    """Float audio in [-1, 1] (as Coqui returns it) as PCM16 LE bytes."""
    audio = np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0)
    return (audio * 32767.0).astype("<i2").tobytes()
