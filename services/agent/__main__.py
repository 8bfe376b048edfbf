"""Agent service entry point: `python -m services.agent` (run as many replicas as you like)."""

from services.agent.bootstrap import run

if __name__ == "__main__":
    run()
