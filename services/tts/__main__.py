"""TTS service entry point: `python -m services.tts` (run as many replicas as you like)."""

from services.tts.bootstrap import run

if __name__ == "__main__":
    run()
