"""Analytics service entry point: `python -m services.analytics` (or `... rebuild`: backfill from storage)."""

from services.analytics.bootstrap import run

if __name__ == "__main__":
    run()
