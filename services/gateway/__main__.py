"""Gateway entry point: `python -m services.gateway`."""

from services.gateway.bootstrap import run

if __name__ == "__main__":
    run()
