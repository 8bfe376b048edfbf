"""Tools service entry point: `python -m services.tools` (code runner, problem bank, CV analyzer)."""

from services.tools.bootstrap import run

if __name__ == "__main__":
    run()
