"""The web app: the gateway serves the frontend's static build (`frontend/dist`, `make frontend`) at `/`.

Hashed assets under `/assets/` are served as files (cached for a year: their names change with their
content); the client routes (`/`, `/interview/{id}`, `/report/{id}`, `/history`) answer `index.html`, the
single-page app, which routes in the browser. Nothing else is claimed: `/api`, `/ws`, `/health`, `/docs` and
`/openapi.json` keep their routes, and an unknown path is still the API's JSON 404. Without a build, the
client routes answer 503 with a page that says how to build it (never a 500).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from services.gateway.errors import error_response

DEFAULT_DIST = Path(__file__).resolve().parents[2] / "frontend" / "dist"
CLIENT_ROUTES = ("/", "/history", "/interview/{session_id}", "/report/{session_id}")
_IMMUTABLE = "public, max-age=31536000, immutable"

NOT_BUILT_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PrepAI: web app not built</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1b2330}}
code{{background:#eef1f5;padding:.1rem .3rem;border-radius:4px}}</style></head>
<body><h1>The PrepAI web app is not built</h1>
<p>The API is running (<a href="/docs">/docs</a>), but <code>{dist}</code> has no <code>index.html</code>.</p>
<p>Build it with <code>make frontend</code> (or <code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code>);
<code>make run</code> does it for you.</p></body></html>
"""


def install_webapp(app: FastAPI, dist: Path = DEFAULT_DIST) -> None:
    """Adds the web app's routes; call after every API router, so none of them is shadowed."""
    assets = (dist / "assets").resolve()

    async def index(request: Request) -> Response:
        page = dist / "index.html"
        if not page.is_file():
            return HTMLResponse(NOT_BUILT_PAGE.format(dist=dist), status_code=503)
        return FileResponse(page, media_type="text/html", headers={"Cache-Control": "no-cache"})

    for path in CLIENT_ROUTES:
        app.add_api_route(path, index, methods=["GET", "HEAD"], include_in_schema=False)

    async def asset(path: str) -> Response:
        target = (assets / path).resolve()
        if not target.is_relative_to(assets) or not target.is_file():
            return error_response(404, "not_found", "Not Found")
        return FileResponse(target, headers={"Cache-Control": _IMMUTABLE})

    app.add_api_route("/assets/{path:path}", asset, methods=["GET", "HEAD"], include_in_schema=False)
