"""The web app in Debian's Chromium (Playwright, no downloaded browser) against the real platform: nats-server,
agent (scripted responder, no model), tools, STT, TTS, analytics and the gateway serving frontend/dist.

A typed interview to its report (and PDF), a spoken answer through Chromium's fake microphone (a Piper WAV,
as bench/voice_corpus.py makes them), and the coding panel (a wrong then a right solution). Screenshots of
every page at desktop and phone size go to frontend/test-results/screenshots/ (printed at the end).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from deploy.local_platform import REPO_ROOT, LocalPlatform, default_services, free_port
from tests.threaded_platform import ThreadedPlatform

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

CHROMIUM = os.environ.get("PREPAI_CHROMIUM", "/usr/bin/chromium")
SHOTS = REPO_ROOT / "frontend" / "test-results" / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]

from playwright import sync_api  # noqa: E402  (installed by `make test`: a missing one must fail, not skip)


class WebPlatform(ThreadedPlatform):
    """The platform in a background thread (its own event loop), so Playwright's sync API runs in the test's."""

    def __init__(self, data_dir: Path) -> None:
        models = REPO_ROOT / "data" / "models"  # the joined model files, shared between runs
        models.mkdir(parents=True, exist_ok=True)
        (data_dir / "models").symlink_to(models, target_is_directory=True)
        lines: list[str] = []
        runner = LocalPlatform(
            data_dir=data_dir,
            http_port=free_port(),
            nats_port=free_port(),
            env={"PREPAI_LLM_PROVIDER": "scripted", "PREPAI_SCRIPTED_WORD_DELAY_S": "0.01"},
            services=default_services(),
            log=lines.append,
            ready_timeout_s=300,
        )
        super().__init__(runner, lines)

    @property
    def url(self) -> str:
        return self.runner.base_url

    def start(self) -> None:  # type: ignore[override]
        super().start(320, log_lines_on_failure=80)


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebPlatform]:
    if not (REPO_ROOT / "frontend" / "dist" / "index.html").is_file():
        pytest.fail("frontend/dist is not built: run `make frontend`")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: `apt install chromium` (deploy/install.sh does)")
    data_dir = tmp_path_factory.mktemp("webapp")
    p = WebPlatform(data_dir)
    p.start()
    try:
        yield p
    finally:
        p.close()
        (data_dir / "platform.log").write_text("\n".join(p.lines) + "\n")
        print(f"\nplatform log: {data_dir / 'platform.log'}\nscreenshots: {SHOTS}")


@pytest.fixture(scope="module")
def playwright() -> Iterator[Any]:
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_api.sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def browser(playwright: Any) -> Iterator[Any]:
    b = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
    yield b
    b.close()


@pytest.fixture(scope="module", autouse=True)
def fresh_screenshots() -> None:
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)


def shoot(page: Any, name: str) -> None:
    """The page at desktop size, then at phone size (full page), then back."""
    size = page.viewport_size
    page.set_viewport_size(DESKTOP)
    page.wait_for_timeout(250)
    page.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(250)
    page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(size or DESKTOP)


def watch_errors(page: Any) -> list[str]:
    """Uncaught page errors, console errors and server errors (a test asserts none happened). A 404 is part
    of the flow (the report polled while `report_not_ready`, a candidate without history yet): the browser
    logs those as console errors, so they are left out here and each page shows what they mean."""
    errors: list[str] = []
    expected_404 = "the server responded with a status of 404"

    def on_console(msg: Any) -> None:
        if msg.type == "error" and expected_404 not in msg.text:
            errors.append(f"console: {msg.text}")

    def on_response(response: Any) -> None:
        if response.status >= 500:
            errors.append(f"{response.status} {response.url}")

    page.on("pageerror", lambda err: errors.append(f"pageerror: {err}"))
    page.on("console", on_console)
    page.on("response", on_response)
    return errors


def start_interview(page: Any, base: str, type_id: str, name: str) -> str:
    page.goto(base + "/")
    page.get_by_test_id(f"interview-type-{type_id}").click()
    page.get_by_test_id("candidate-name").fill(name)
    page.get_by_test_id("start-interview").click()
    page.wait_for_url("**/interview/*", timeout=15_000)
    return str(page.url.rsplit("/", 1)[-1])


def expect(locator: Any) -> Any:
    return sync_api.expect(locator)


def test_typed_interview_to_report_and_pdf(platform: WebPlatform, browser: Any) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors = watch_errors(page)
    page.goto(platform.url + "/")
    expect(page.get_by_test_id("interview-type-google_sde")).to_be_visible(timeout=15_000)
    cards = page.locator("[data-testid^=interview-type-]")
    assert cards.count() >= 8
    shoot(page, "01-start")

    sid = start_interview(page, platform.url, "behavioral", "Grace Hopper")
    transcript = page.get_by_test_id("transcript")
    expect(transcript.get_by_test_id("message-assistant").first).to_be_visible(timeout=60_000)
    greeting = transcript.get_by_test_id("message-assistant").first.inner_text()
    assert "Grace" in greeting, greeting

    answer = (
        "At my last job two teams disagreed about an API change. I set up a meeting, listened to both sides, "
        "wrote down the trade-offs, and we agreed on a versioned endpoint. The migration finished in two weeks."
    )
    page.get_by_test_id("text-input").fill(answer)
    page.get_by_test_id("send").click()
    expect(transcript.get_by_test_id("message-user").first).to_contain_text(
        "versioned endpoint", timeout=15_000
    )
    expect(transcript.get_by_test_id("message-assistant")).to_have_count(2, timeout=60_000)
    # Enter sends too.
    page.get_by_test_id("text-input").fill("I also wrote the runbook and trained the on-call engineers.")
    page.get_by_test_id("text-input").press("Enter")
    expect(transcript.get_by_test_id("message-user")).to_have_count(2, timeout=15_000)
    expect(transcript.get_by_test_id("message-assistant")).to_have_count(3, timeout=60_000)
    expect(page.get_by_test_id("interviewer-state")).to_be_visible()
    shoot(page, "02-interview")

    # A reload keeps the conversation (the server keeps the transcript).
    page.reload()
    expect(page.get_by_test_id("transcript").get_by_test_id("message-user")).to_have_count(2, timeout=15_000)

    page.get_by_test_id("end-interview").click()
    page.wait_for_url(f"**/report/{sid}", timeout=15_000)
    score = page.get_by_test_id("report-overall-score")
    expect(score).to_be_visible(timeout=90_000)
    value = float(score.inner_text())
    assert 0 <= value <= 10
    report = httpx.get(f"{platform.url}/api/interviews/{sid}/performance-report").json()["report"]
    assert value == pytest.approx(report["overallScore"])
    expect(page.get_by_test_id("report")).to_contain_text("Grace Hopper")
    expect(page.get_by_test_id("radar-chart")).to_be_visible()
    # A competency the interview could not judge is shown as such, with its reason.
    for key, competency in report["competencies"].items():
        if competency["score"] is None:
            expect(page.get_by_test_id(f"competency-{key}")).to_contain_text("not assessed")
    pdf_href = page.get_by_test_id("report-pdf").get_attribute("href")
    pdf = page.request.get(platform.url + pdf_href)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body()[:5] == b"%PDF-"
    shoot(page, "03-report")

    page.goto(platform.url + "/history")
    expect(page.get_by_test_id("session-item").first).to_be_visible(timeout=15_000)
    expect(page.get_by_test_id("history")).to_contain_text("Behavioral")
    shoot(page, "04-history")
    assert not errors, errors
    context.close()


CV_TEXT = """Katherine Johnson
katherine.johnson@example.com | +1 555 0100
Experience
Senior Software Engineer, Orbital Systems, 2019-03 - present
Built trajectory services in Python and Go on Kubernetes with PostgreSQL.
Software Engineer, Langley Labs, 2015-06 - 2019-02
Education
BSc Mathematics, West Virginia State University, 2015
Skills: Python, Go, Kubernetes, PostgreSQL, Kafka, Orbitkit
"""


def test_cv_upload_is_parsed_corrected_and_saved(platform: WebPlatform, browser: Any, tmp_path: Path) -> None:
    cv = tmp_path / "katherine-cv.txt"
    cv.write_text(CV_TEXT)
    page = browser.new_page(viewport=DESKTOP)
    errors = watch_errors(page)
    page.goto(platform.url + "/")
    page.get_by_test_id("interview-type-gcp_sa").click()
    page.get_by_test_id("candidate-name").fill("Katherine Johnson")
    page.get_by_test_id("cv-upload").set_input_files(str(cv))
    expect(page.get_by_test_id("cv-dropzone")).to_contain_text("katherine-cv.txt")
    page.get_by_test_id("start-interview").click()
    review = page.get_by_test_id("cv-review")
    expect(review).to_be_visible(timeout=60_000)
    skills = page.get_by_test_id("cv-skills")
    expect(skills).to_have_value(re.compile("Kubernetes"))
    # A tool no taxonomy knows is kept from the skills list, and the review says where it came from.
    expect(skills).to_have_value(re.compile("Orbitkit"))
    page.get_by_test_id("cv-evidence").locator("summary").click()
    orbitkit = page.get_by_test_id("cv-evidence-item").filter(has=page.get_by_text("Orbitkit", exact=True))
    expect(orbitkit).to_contain_text("from your list, as written")
    expect(orbitkit).to_contain_text("line 9")
    shoot(page, "09-cv-review")
    skills.fill(skills.input_value() + ", Terraform")
    page.get_by_test_id("cv-continue").click()
    page.wait_for_url("**/interview/*", timeout=15_000)
    sid = page.url.rsplit("/", 1)[-1]
    analysis = httpx.get(f"{platform.url}/api/interviews/{sid}/cv-analysis").json()["analysis"]
    assert "Terraform" in analysis["skills"] and "Kubernetes" in analysis["skills"]
    expect(page.get_by_test_id("transcript").get_by_test_id("message-assistant")).to_have_count(
        1, timeout=60_000
    )
    assert not errors, errors
    page.close()


def test_an_interview_starts_from_the_keyboard_alone(platform: WebPlatform, browser: Any) -> None:
    """Tab into the interview types, arrows to choose, Tab to the name, Enter on the button."""
    page = browser.new_page(viewport=PHONE)
    page.goto(platform.url + "/")
    first = page.get_by_test_id("interview-type-google_sde")
    expect(first).to_be_visible(timeout=15_000)
    first.focus()
    page.keyboard.press("ArrowDown")
    second = page.get_by_test_id("interview-type-amazon_sde")
    expect(second).to_be_focused()
    expect(second).to_have_attribute("aria-checked", "true")
    page.keyboard.press("Tab")
    expect(page.get_by_test_id("candidate-name")).to_be_focused()
    page.keyboard.type("Frances Allen")
    page.get_by_test_id("start-interview").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/interview/*", timeout=15_000)
    expect(page.get_by_test_id("transcript").get_by_test_id("message-assistant")).to_have_count(
        1, timeout=60_000
    )
    expect(page.locator("h1")).to_contain_text("Amazon SDE")
    page.get_by_test_id("text-input").focus()
    page.keyboard.type("Mostly distributed systems.")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("transcript").get_by_test_id("message-user")).to_have_count(1, timeout=15_000)
    page.close()


def test_unknown_session_and_missing_page_say_so(platform: WebPlatform, browser: Any) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(platform.url + "/interview/does-not-exist")
    expect(page.get_by_role("alert").first).to_contain_text("session", timeout=15_000)
    shoot(page, "05-unknown-session")
    page.goto(platform.url + "/report/does-not-exist")
    expect(page.get_by_role("alert").first).to_contain_text("could not be loaded", timeout=15_000)
    page.close()


def test_coding_panel_runs_a_wrong_then_a_right_solution(platform: WebPlatform, browser: Any) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors = watch_errors(page)
    sid = start_interview(page, platform.url, "coding", "Alan Turing")
    page.get_by_test_id("open-problems").click()
    page.get_by_test_id("problem-anagram-check").click()
    editor = page.get_by_test_id("code-editor")
    expect(editor.locator(".monaco-editor")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("coding-panel")).to_contain_text("Scrambled Luggage Tags")
    expect(editor).to_contain_text("is_anagram")  # the signature template

    def write(code: str) -> None:
        editor.locator(".view-lines").click()
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        page.keyboard.insert_text(code)

    results = page.get_by_test_id("test-results")
    write("def is_anagram(first, second): return first == second")
    page.get_by_test_id("run-tests").click()
    expect(page.get_by_test_id("verdict")).to_contain_text("Wrong", timeout=60_000)
    assert results.locator("[data-testid=test-row].fail").count() >= 1
    write("def is_anagram(first, second): return sorted(first) == sorted(second)")
    page.get_by_test_id("run-tests").click()
    expect(page.get_by_test_id("verdict")).to_contain_text("Accepted", timeout=60_000)
    assert results.locator("[data-testid=test-row].fail").count() == 0
    assert results.locator("[data-testid=test-row]").count() >= 1
    page.get_by_test_id("test-results").locator("summary").click()  # the quality metrics
    expect(results).to_contain_text("Cyclomatic complexity")
    shoot(page, "06-coding")
    # Both runs are stored for the session and shown with the report.
    submissions = httpx.get(f"{platform.url}/api/code/{sid}/submissions").json()["submissions"]
    assert [s["verdict"] for s in submissions] == ["wrong_answer", "accepted"]
    # Java: the panel switches to a program reading stdin.
    page.get_by_test_id("language-select").select_option("java")
    expect(editor).to_contain_text("public class Main")
    assert not errors, errors
    context.close()


def test_a_dropped_socket_reconnects_without_losing_the_turn(platform: WebPlatform, browser: Any) -> None:
    """The gateway is killed mid-interview (the supervisor restarts it): the page says it is reconnecting, an
    answer typed meanwhile waits, and once the socket is back it is sent and answered; nothing is lost."""
    page = browser.new_page(viewport=DESKTOP)
    start_interview(page, platform.url, "amazon_sde", "Edsger Dijkstra")
    transcript = page.get_by_test_id("transcript")
    expect(transcript.get_by_test_id("message-assistant")).to_have_count(1, timeout=60_000)
    old_pid = platform.run(platform.runner.kill("gateway", restart=True), 30)
    status = page.get_by_test_id("connection-status")
    expect(status).to_contain_text("reconnecting", timeout=15_000)
    page.get_by_test_id("text-input").fill("I led the migration of our billing service to event sourcing.")
    page.get_by_test_id("send").click()
    expect(page.get_by_role("alert").filter(has_text="offline")).to_be_visible()
    shoot(page, "08-reconnecting")
    platform.run(platform.runner.wait_restarted("gateway", old_pid), 60)
    expect(status).to_be_hidden(timeout=60_000)
    expect(transcript.get_by_test_id("message-user")).to_have_count(1, timeout=30_000)
    expect(transcript.get_by_test_id("message-user")).to_contain_text("event sourcing")
    expect(transcript.get_by_test_id("message-assistant")).to_have_count(2, timeout=60_000)
    page.close()


def test_the_interviewer_hands_out_a_problem(platform: WebPlatform, browser: Any) -> None:
    """The `problem` event opens the panel by itself; a run of the starter code reaches the interviewer,
    who says how many tests pass."""
    page = browser.new_page(viewport=DESKTOP)
    start_interview(page, platform.url, "coding", "Barbara Liskov")
    transcript = page.get_by_test_id("transcript")
    panel = page.get_by_test_id("coding-panel")
    for n in range(1, 16):  # answer until the interviewer reaches the coding phase (after the technical one)
        expect(transcript.get_by_test_id("message-assistant")).to_have_count(n, timeout=60_000)
        # The `problem` event follows the reply that hands it out (the gateway fetches it from the tools
        # service first): answering in between moved the interview past the problem before it was run.
        with contextlib.suppress(sync_api.TimeoutError):
            panel.wait_for(state="visible", timeout=3_000)
        if panel.is_visible():
            break
        page.get_by_test_id("text-input").fill("I would start with a hash map and explain the trade-offs.")
        page.get_by_test_id("send").click()
    expect(page.get_by_test_id("code-editor").locator(".monaco-editor")).to_be_visible(timeout=60_000)
    replies = transcript.get_by_test_id("message-assistant").count()
    page.get_by_test_id("run-tests").click()
    expect(page.get_by_test_id("verdict")).to_be_visible(timeout=60_000)
    reaction = transcript.get_by_test_id("message-assistant").nth(replies)
    expect(reaction).to_contain_text("tests pass", timeout=60_000)
    page.close()


def voice_wav(folder: Path) -> tuple[Path, str]:
    """A spoken answer (Piper) between silences, as Chromium's fake microphone plays it."""
    from bench import voice_corpus as corpus

    spec = corpus.ClipSpec("dynamodb", "piper", "clean")
    clip = corpus.load(spec)
    rate = corpus.RATE
    pcm = bytes(2 * rate) + clip.pcm + bytes(2 * rate * 6)
    path = folder / "answer.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)
    return path, clip.text


def test_a_spoken_answer_reaches_the_transcript_and_gets_a_reply(
    platform: WebPlatform, playwright: Any, tmp_path: Path
) -> None:
    wav, said = voice_wav(tmp_path)
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            *BROWSER_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={wav}%noloop",
        ],
    )
    try:
        context = browser.new_context(viewport=DESKTOP, permissions=["microphone"])
        page = context.new_page()
        errors = watch_errors(page)
        start_interview(page, platform.url, "google_sde", "Ada Lovelace")
        transcript = page.get_by_test_id("transcript")
        expect(transcript.get_by_test_id("message-assistant")).to_have_count(1, timeout=60_000)
        # The greeting's WAVs play in the browser; the interrupt button stops them (and the reply).
        playing = page.get_by_test_id("audio-playing")
        expect(playing).to_be_visible(timeout=30_000)
        page.get_by_test_id("interrupt").click()
        expect(playing).to_be_hidden(timeout=5_000)
        expect(page.get_by_test_id("interviewer-state")).to_contain_text("Listening", timeout=30_000)
        page.get_by_test_id("mic-toggle").click()
        expect(page.get_by_test_id("mic-toggle")).to_have_attribute("aria-pressed", "true")
        user = transcript.get_by_test_id("message-user").first
        expect(user).to_be_visible(timeout=60_000)
        heard = user.inner_text().lower()
        words = {"dynamodb", "partition", "key", "hot"}
        assert len([w for w in words if w in heard]) >= 2, (heard, said)
        expect(transcript.get_by_test_id("message-assistant")).to_have_count(2, timeout=60_000)
        expect(page.get_by_test_id("turn-metrics")).to_be_visible(timeout=30_000)
        shoot(page, "07-voice")
        page.get_by_test_id("mic-toggle").click()
        assert not errors, errors
        context.close()
    finally:
        browser.close()
