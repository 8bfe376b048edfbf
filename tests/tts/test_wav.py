"""WAV framing: what we write is a valid RIFF file; what espeak-ng writes (streamed sizes) is read back."""

from __future__ import annotations

import io
import struct
import wave

import pytest

from services.tts.domain import frame_wav, pcm_duration_s, read_wav, recording_key, trim_silence
from tests.tts.fakes import tone


def test_a_framed_wav_parses_back_with_the_wave_module() -> None:
    pcm = tone(0.5, 22_050)
    data = frame_wav(pcm, 22_050)
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    assert struct.unpack("<I", data[4:8])[0] == len(data) - 8
    with wave.open(io.BytesIO(data)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 22_050)
        assert w.getnframes() == len(pcm) // 2
        assert w.readframes(w.getnframes()) == pcm


def test_an_odd_byte_is_dropped_and_a_bad_rate_refused() -> None:
    with wave.open(io.BytesIO(frame_wav(b"\x01\x02\x03", 16_000))) as w:
        assert w.getnframes() == 1
    with pytest.raises(ValueError):
        frame_wav(b"", 0)


def test_read_wav_round_trips_and_tolerates_streamed_sizes() -> None:
    pcm = tone(0.2, 16_000)
    assert read_wav(frame_wav(pcm, 16_000)) == (pcm, 16_000)
    # espeak-ng --stdout cannot seek back: its RIFF and data sizes are placeholders far past the end.
    streamed = bytearray(frame_wav(pcm, 22_050))
    streamed[4:8] = struct.pack("<I", 0x7FFFF024)
    streamed[40:44] = struct.pack("<I", 0x7FFFF000)
    assert read_wav(bytes(streamed)) == (pcm, 22_050)


def test_read_wav_skips_unknown_chunks_and_refuses_what_is_not_pcm16_mono() -> None:
    pcm = tone(0.1, 8_000)
    plain = frame_wav(pcm, 8_000)
    with_list = plain[:36] + b"LIST" + struct.pack("<I", 3) + b"abc\x00" + plain[36:]
    assert read_wav(with_list) == (pcm, 8_000)
    stereo = bytearray(plain)
    stereo[22:24] = struct.pack("<H", 2)
    for bad in (b"", b"OggS" + b"\x00" * 40, bytes(stereo), plain[:36]):
        with pytest.raises(ValueError):
            read_wav(bad)


def test_trim_silence_keeps_a_short_lead_in_and_caps_the_tail() -> None:
    rate = 10_000
    silence = b"\x00\x00"
    pcm = silence * 1000 + tone(0.3, rate) + silence * 5000  # 100 ms, 300 ms of sound, 500 ms
    trimmed = trim_silence(pcm, rate)
    assert pcm_duration_s(trimmed, rate) == pytest.approx(0.02 + 0.3 + 0.2, abs=0.003)
    assert trim_silence(silence * 1000, rate) == b""
    short = tone(0.1, rate)
    assert trim_silence(short, rate) == short  # sound itself is never cut


def test_recordings_sit_with_the_session() -> None:
    assert recording_key("s1", "t9", 7) == "recordings/s1/t9/reply-007.wav"
