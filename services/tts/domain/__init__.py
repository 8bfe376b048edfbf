"""The TTS service's logic without transport or engines: speech text, WAV framing, interrupted turns."""

from services.tts.domain.interrupts import InterruptedTurns
from services.tts.domain.text import speech_text
from services.tts.domain.wav import (
    ahead_key,
    frame_wav,
    pcm_duration_s,
    read_wav,
    recording_key,
    trim_silence,
)

__all__ = [
    "InterruptedTurns",
    "ahead_key",
    "frame_wav",
    "pcm_duration_s",
    "read_wav",
    "recording_key",
    "speech_text",
    "trim_silence",
]
