import { useEffect, useState } from "react";
import { api, describeError } from "../lib/api";
import { pollUntilReady } from "../lib/poll";
import { Link, navigate } from "../lib/router";
import { RECOMMENDATION_LABEL, formatDate } from "../lib/format";
import { COMPETENCIES, type CodeSubmission, type PerformanceReport, type SessionDetail } from "../lib/types";
import { RadarChart, radarPoints } from "../components/RadarChart";

const POLL_INTERVAL_MS = 1500;
const POLL_TIMEOUT_MS = 90_000;

type Phase =
  | { kind: "loading" }
  | { kind: "grading" }
  | { kind: "timeout" }
  | { kind: "not_ended"; session: SessionDetail }
  | { kind: "error"; message: string }
  | { kind: "ready"; report: PerformanceReport; typeName: string };

export function ReportPage({ sessionId }: { sessionId: string }) {
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);
  const [submissions, setSubmissions] = useState<CodeSubmission[] | null>(null);
  const [waited, setWaited] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    const started = Date.now();
    const tick = setInterval(() => setWaited(Math.floor((Date.now() - started) / 1000)), 1000);
    (async () => {
      let session: SessionDetail;
      try {
        session = await api.session(sessionId);
      } catch (e) {
        setPhase({ kind: "error", message: describeError(e) });
        return;
      }
      if (session.status !== "ended") {
        setPhase({ kind: "not_ended", session });
        return;
      }
      setPhase({ kind: "grading" });
      const outcome = await pollUntilReady(() => api.report(sessionId), {
        intervalMs: POLL_INTERVAL_MS,
        timeoutMs: POLL_TIMEOUT_MS,
        signal: controller.signal,
      });
      if (controller.signal.aborted) return;
      if (outcome.kind === "ready") setPhase({ kind: "ready", report: outcome.value.report, typeName: session.interview_type_name });
      else if (outcome.kind === "timeout") setPhase({ kind: "timeout" });
      else if (outcome.kind === "error") setPhase({ kind: "error", message: describeError(outcome.error) });
    })().finally(() => clearInterval(tick));
    api
      .submissions(sessionId)
      .then((r) => setSubmissions(r.submissions))
      .catch(() => setSubmissions([]));
    return () => {
      controller.abort();
      clearInterval(tick);
    };
  }, [sessionId, attempt]);

  if (phase.kind === "loading") return <p className="muted" aria-live="polite">Loading…</p>;
  if (phase.kind === "error")
    return (
      <div className="card" role="alert">
        <h1>The report could not be loaded</h1>
        <p>{phase.message}</p>
        <button className="btn primary" onClick={() => setAttempt((a) => a + 1)}>Try again</button>
      </div>
    );
  if (phase.kind === "not_ended")
    return (
      <div className="card">
        <h1>This interview is still open</h1>
        <p>The report is written once the interview ends.</p>
        <button className="btn primary" onClick={() => navigate(`/interview/${sessionId}`)}>Back to the interview</button>
      </div>
    );
  if (phase.kind === "grading" || phase.kind === "timeout")
    return (
      <div className="card grading" data-testid="report-grading" aria-live="polite">
        {phase.kind === "grading" ? (
          <>
            <div className="spinner" aria-hidden="true" />
            <h1>Grading your interview…</h1>
            <p className="muted">Each answer is scored against the question's key points. This usually takes a few seconds ({waited} s so far).</p>
          </>
        ) : (
          <>
            <h1>The report is taking longer than expected</h1>
            <p>
              It has not arrived after {Math.round(POLL_TIMEOUT_MS / 1000)} seconds. The grading service may be busy or down; your
              interview is saved, so you can check again later from the <Link to="/history">history page</Link>.
            </p>
            <button className="btn primary" onClick={() => setAttempt((a) => a + 1)}>Keep waiting</button>
          </>
        )}
      </div>
    );

  const report = phase.report;
  return <ReportView report={report} typeName={phase.typeName} sessionId={sessionId} submissions={submissions} />;
}

export function ReportView(props: { report: PerformanceReport; typeName?: string; sessionId: string; submissions: CodeSubmission[] | null }) {
  const { report, sessionId, submissions } = props;
  const tone = report.overallScore >= 7 ? "good" : report.overallScore >= 4.5 ? "warn" : "bad";
  return (
    <article className="report stack" data-testid="report">
      <header className="card report-head">
        <div>
          <p className="eyebrow">Performance report</p>
          <h1>{report.candidateName}</h1>
          <p className="muted">
            {props.typeName ?? report.interviewType} · {formatDate(report.generatedAt)}
          </p>
          <p className="summary">{report.summary}</p>
          <div className="actions">
            <a className="btn" href={api.reportPdfUrl(sessionId)} target="_blank" rel="noopener" data-testid="report-pdf" download={`performance-report-${sessionId}.pdf`}>
              Download PDF
            </a>
            <Link to="/" className="btn ghost">New interview</Link>
          </div>
        </div>
        <div className={`score-badge ${tone}`}>
          <span className="score" data-testid="report-overall-score">{report.overallScore.toFixed(1)}</span>
          <span className="out-of">out of 10</span>
          <span className={`reco ${report.recommendation.toLowerCase()}`} data-testid="report-recommendation">
            {RECOMMENDATION_LABEL[report.recommendation] ?? report.recommendation}
          </span>
        </div>
      </header>

      <section className="card grid-report" aria-labelledby="comp-title">
        <div>
          <h2 id="comp-title">Competencies</h2>
          <RadarChart points={radarPoints(report.scores)} />
        </div>
        <ul className="competency-list">
          {COMPETENCIES.map(({ key, label }) => {
            const c = report.competencies[key];
            const score = report.scores[key];
            return (
              <li key={key} data-testid={`competency-${key}`}>
                <div className="comp-row">
                  <strong>{label}</strong>
                  <span className={score === null ? "muted" : "comp-score"}>{score === null ? "not assessed" : `${score.toFixed(1)} / 10`}</span>
                </div>
                {score !== null && (
                  <div className="bar" aria-hidden="true">
                    <div style={{ width: `${score * 10}%` }} />
                  </div>
                )}
                {c?.reason && <p className="small muted">{c.reason}</p>}
                {c && c.evidence.length > 0 && (
                  <ul className="quotes">
                    {c.evidence.slice(0, 3).map((q, i) => (
                      <li key={i}>
                        <blockquote>“{q.quote}”</blockquote>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ul>
      </section>

      <div className="grid-2">
        <section className="card" aria-labelledby="str-title">
          <h2 id="str-title">Strengths</h2>
          {report.strengths.length ? (
            <ul className="ticks">{report.strengths.map((s, i) => <li key={i}>{s}</li>)}</ul>
          ) : (
            <p className="muted">No clear strengths were found in this interview.</p>
          )}
        </section>
        <section className="card" aria-labelledby="imp-title">
          <h2 id="imp-title">To improve</h2>
          {report.improvements.length ? (
            <ul className="arrows">{report.improvements.map((s, i) => <li key={i}>{s}</li>)}</ul>
          ) : (
            <p className="muted">Nothing specific to improve was found.</p>
          )}
        </section>
      </div>

      <section className="card" aria-labelledby="delivery-title">
        <h2 id="delivery-title">Delivery</h2>
        {report.delivery ? (
          <dl className="stats">
            <div><dt>Spoken answers</dt><dd>{report.delivery.spokenAnswers}</dd></div>
            <div><dt>Words per minute</dt><dd>{Math.round(report.delivery.wordsPerMinute)} <span className="small muted">(130–160 is comfortable)</span></dd></div>
            <div><dt>Filler words per minute</dt><dd>{report.delivery.fillerWordsPerMinute.toFixed(1)} <span className="small muted">({Math.round(report.delivery.fillerShare * 100)} % of words)</span></dd></div>
            <div><dt>Long pauses</dt><dd>{report.delivery.longPauses} <span className="small muted">(over {report.delivery.longPauseS} s)</span></dd></div>
            {Object.keys(report.delivery.topFillers).length > 0 && (
              <div><dt>Most used fillers</dt><dd>{Object.entries(report.delivery.topFillers).map(([w, n]) => `“${w}” ×${n}`).join(", ")}</dd></div>
            )}
          </dl>
        ) : (
          <p className="muted">No spoken answers: delivery (pace, filler words, pauses) is measured on answers given by voice.</p>
        )}
      </section>

      <section className="card" aria-labelledby="q-title">
        <h2 id="q-title">Question by question</h2>
        {report.questions.length === 0 && <p className="muted">No questions were answered.</p>}
        <ol className="questions">
          {report.questions.map((q, i) => (
            <li key={i} className="question">
              <div className="comp-row">
                <strong className="q-text">{q.question}</strong>
                <span className={q.score === null ? "muted" : "comp-score"}>{q.score === null ? "not answered" : `${q.score.toFixed(1)} / 10`}</span>
              </div>
              <p>{q.feedback}</p>
              {(q.covered.length > 0 || q.missed.length > 0) && (
                <p className="small">
                  {q.covered.length > 0 && <span className="good-text">Covered: {q.covered.join("; ")}. </span>}
                  {q.missed.length > 0 && <span className="muted">Missed: {q.missed.join("; ")}.</span>}
                </p>
              )}
              {q.star && (
                <p className="small">
                  STAR:{" "}
                  {Object.entries(q.star).map(([k, v]) => (
                    <span key={k} className={v ? "chip good" : "chip"}>
                      {v ? "✓" : "✗"} {k}
                    </span>
                  ))}
                </p>
              )}
            </li>
          ))}
        </ol>
      </section>

      <section className="card" aria-labelledby="code-title">
        <h2 id="code-title">Code submissions</h2>
        {submissions === null && <p className="muted">Loading…</p>}
        {submissions?.length === 0 && <p className="muted">No code was run in this interview.</p>}
        {submissions && submissions.length > 0 && (
          <div className="table-wrap">
            <table className="tests">
              <thead>
                <tr><th scope="col">When</th><th scope="col">Problem</th><th scope="col">Language</th><th scope="col">Verdict</th><th scope="col">Tests</th><th scope="col">Quality</th></tr>
              </thead>
              <tbody>
                {submissions.map((s) => (
                  <tr key={s.submissionId} className={s.allTestsPassed ? "pass" : "fail"}>
                    <td>{formatDate(s.submittedAt)}</td>
                    <td>{s.problemId ?? "—"}</td>
                    <td>{s.language}</td>
                    <td>{s.verdictLabel}</td>
                    <td>{s.passedCount}/{s.total}</td>
                    <td>{s.qualityMetrics.quality_score.toFixed(1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <p className="small muted">
        Scored by the {report.judge.kind === "rubric" ? "deterministic rubric" : `model ${report.judge.model ?? ""} checked by the rubric`} ({report.judge.version}).
      </p>
    </article>
  );
}
