"""The web app's static serving (services/gateway/webapp.py) and the CV correction the start page saves."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.gateway.bootstrap import create_app
from services.gateway.errors import install_error_handlers
from services.gateway.webapp import install_webapp
from shared.config import Settings
from shared.cv import CvAnalysis, SkillDetail
from shared.sessions import SessionRecord, SessionRepository
from shared.storage.local import LocalObjectStore

INDEX = "<!doctype html><html><body><div id=root></div></body></html>"


def app_with(dist: Path) -> TestClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/api/ping")
    async def ping() -> dict[str, str]:
        return {"pong": "yes"}

    install_webapp(app, dist)
    return TestClient(app)


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    folder = tmp_path / "dist"
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text(INDEX)
    (folder / "assets" / "index-abc123.js").write_text("console.log(1)")
    (tmp_path / "secret.txt").write_text("not for the web")
    return folder


@pytest.mark.parametrize("path", ["/", "/history", "/interview/abc123", "/report/abc123"])
def test_client_routes_answer_the_app(dist: Path, path: str) -> None:
    response = app_with(dist).get(path)
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"


def test_assets_are_served_and_cached_for_good(dist: Path) -> None:
    response = app_with(dist).get("/assets/index-abc123.js")
    assert response.status_code == 200 and response.text == "console.log(1)"
    assert "immutable" in response.headers["cache-control"]


@pytest.mark.parametrize(
    "path",
    ["/assets/missing.js", "/assets/../secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt", "/nope", "/api/nope"],
)
def test_nothing_else_is_claimed(dist: Path, path: str) -> None:
    response = app_with(dist).get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_api_is_not_shadowed(dist: Path) -> None:
    assert app_with(dist).get("/api/ping").json() == {"pong": "yes"}


def test_a_missing_build_is_explained_not_a_500(tmp_path: Path) -> None:
    response = app_with(tmp_path / "no-dist").get("/")
    assert response.status_code == 503
    assert "make frontend" in response.text and "not built" in response.text
    assert app_with(tmp_path / "no-dist").get("/assets/x.js").status_code == 404


# --- through the real gateway (NATS, no workers) -------------------------------------------------------


@pytest.fixture
def client(nats_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(nats_url=nats_url, data_dir=tmp_path)
    with TestClient(create_app(settings)) as c:
        yield c


def test_the_gateway_serves_the_app_beside_its_api(client: TestClient) -> None:
    root = client.get("/")
    assert root.status_code in (200, 503)  # 503: frontend/dist not built in this checkout
    assert root.headers["content-type"].startswith("text/html")
    assert client.get("/openapi.json").json()["info"]["title"] == "PrepAI"
    assert "/" not in client.get("/openapi.json").json()["paths"]
    assert client.get("/docs").status_code == 200
    assert client.get("/health").json()["status"] == "ok"
    assert client.get("/nope").json()["error"]["code"] == "not_found"


def _give_cv(tmp_path: Path, sid: str) -> None:
    repo = SessionRepository(LocalObjectStore(Settings(data_dir=tmp_path).objects_dir))

    def attach(record: SessionRecord) -> SessionRecord:
        record.cv_analysis = CvAnalysis(
            candidate_name="Ada",
            skills=["Pyhton", "Kubernetes"],
            skills_by_category={"other": ["Pyhton"], "devops": ["Kubernetes"]},
            skill_details=[
                SkillDetail(name=name, category=category, source="list_item", known=False, mentions=1)
                for name, category in (("Pyhton", "other"), ("Kubernetes", "devops"))
            ],
        )
        record.cv_filename = "cv.txt"
        return record

    asyncio.run(repo.update(sid, attach))


def test_the_cv_analysis_can_be_corrected_before_the_interview(client: TestClient, tmp_path: Path) -> None:
    sid = client.post("/api/sessions", json={"interview_type": "behavioral", "candidate_name": "Ada"}).json()[
        "session_id"
    ]
    url = f"/api/interviews/{sid}/cv-analysis"
    corrected = {
        "candidateName": "Ada Lovelace",
        "skills": ["Python", "Kubernetes"],
        "totalYearsExperience": 4,
        # What the web app sends: the analysis it was given, with the skills edited.
        "skillsByCategory": {"other": ["Pyhton"], "devops": ["Kubernetes"]},
        "skillDetails": [
            {"name": "Pyhton", "category": "other", "source": "list_item", "known": False, "mentions": 1},
            {"name": "Kubernetes", "category": "devops", "source": "taxonomy", "known": True, "mentions": 2},
        ],
    }
    before = client.put(url, json=corrected)
    assert before.status_code == 404 and before.json()["error"]["code"] == "cv_not_found"
    _give_cv(tmp_path, sid)
    response = client.put(url, json=corrected)
    assert response.status_code == 200, response.text
    assert response.json()["analysis"]["skills"] == ["Python", "Kubernetes"]
    stored = client.get(url).json()
    assert stored["analysis"]["skills"] == ["Python", "Kubernetes"] and stored["filename"] == "cv.txt"
    assert stored["analysis"]["totalYearsExperience"] == 4
    # The misread skill the candidate removed takes its grouping and evidence with it.
    assert stored["analysis"]["skillsByCategory"] == {"devops": ["Kubernetes"]}
    assert [detail["name"] for detail in stored["analysis"]["skillDetails"]] == ["Kubernetes"]
    assert client.get(f"/api/sessions/{sid}").json()["cv_analysis"]["candidateName"] == "Ada Lovelace"
    unstorable = client.put(
        url, content=b'{"skills": ["\\ud800"]}', headers={"content-type": "application/json"}
    )
    assert unstorable.status_code == 422 and unstorable.json()["error"]["fields"] == ["body"]
    bad = client.put(url, json={"skills": "Python"})
    assert bad.status_code == 422 and bad.json()["error"]["fields"] == ["skills"]
    client.post(f"/api/interviews/{sid}/end")
    ended = client.put(url, json=corrected)
    assert ended.status_code == 409 and ended.json()["error"]["code"] == "session_ended"
    assert client.put("/api/interviews/nope/cv-analysis", json=corrected).status_code == 404
