"""STT service entry point: `python -m services.stt` (run as many replicas as you like)."""

from services.stt.bootstrap import run

if __name__ == "__main__":
    run()
