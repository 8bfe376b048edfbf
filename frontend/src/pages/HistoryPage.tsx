import { useEffect, useState } from "react";
import { ApiError, api, describeError } from "../lib/api";
import { Link } from "../lib/router";
import { formatDate, formatDuration, percentileOf } from "../lib/format";
import type { SessionSummary } from "../lib/types";
import { LineChart, type LinePoint } from "../components/LineChart";
import { LAST_NAME_KEY } from "./StartPage";

interface HistoryPoint {
  session_id: string;
  date: string;
  interview_type: string;
  overall_score: number;
  recommendation: string;
}

interface CandidateHistory {
  candidate_name: string;
  total_interviews: number;
  average_score: number;
  best_score: number;
  latest_score: number;
  improvement: number;
  scores_over_time: HistoryPoint[];
}

interface Trends {
  trend: string;
  change: number | null;
  data: { date: string; average_score: number; count: number }[];
}

type Percentile = { type: string; score: number; percentile: number | null; count: number; median: number | null };

const shortDate = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(undefined, { month: "short", day: "numeric" });
};

export function HistoryPage() {
  const [sessions, setSessions] = useState<SessionSummary[] | null>(null);
  const [sessionsError, setSessionsError] = useState<string | null>(null);
  const [trends, setTrends] = useState<Trends | null>(null);
  const [trendsError, setTrendsError] = useState<string | null>(null);
  const [name, setName] = useState(() => localStorage.getItem(LAST_NAME_KEY) ?? "");
  const [query, setQuery] = useState(name);
  const [history, setHistory] = useState<CandidateHistory | null>(null);
  const [historyMessage, setHistoryMessage] = useState<string | null>(null);
  const [percentiles, setPercentiles] = useState<Percentile[]>([]);
  const [typeNames, setTypeNames] = useState<Record<string, string>>({});

  useEffect(() => {
    api.listSessions().then((r) => setSessions(r.sessions)).catch((e) => setSessionsError(describeError(e)));
    api
      .interviewTypes()
      .then((r) => setTypeNames(Object.fromEntries(r.interview_types.map((t) => [t.id, t.name]))))
      .catch(() => undefined);
    api.trends(30).then((t) => setTrends(t as Trends)).catch((e) => setTrendsError(describeError(e)));
  }, []);

  useEffect(() => {
    setHistory(null);
    setPercentiles([]);
    setHistoryMessage(null);
    if (!query.trim()) return;
    let cancelled = false;
    (async () => {
      try {
        const h = (await api.candidateHistory(query.trim())) as unknown as CandidateHistory;
        if (cancelled) return;
        setHistory(h);
        // The latest score of each interview type, placed among everyone's scores of that type.
        const latest = new Map<string, HistoryPoint>();
        for (const p of h.scores_over_time) latest.set(p.interview_type, p);
        const rows: Percentile[] = [];
        for (const [type, p] of latest) {
          try {
            const b = await api.benchmarks(type);
            const overall = b.benchmarks.overall ?? {};
            rows.push({
              type,
              score: p.overall_score,
              percentile: percentileOf(p.overall_score, overall),
              count: typeof overall.count === "number" ? overall.count : 0,
              median: typeof overall.p50 === "number" ? overall.p50 : null,
            });
          } catch {
            rows.push({ type, score: p.overall_score, percentile: null, count: 0, median: null });
          }
        }
        if (!cancelled) setPercentiles(rows);
      } catch (e) {
        if (cancelled) return;
        setHistoryMessage(
          e instanceof ApiError && e.code === "candidate_not_found"
            ? `No graded interviews for “${query.trim()}” yet.`
            : `The history could not be loaded: ${describeError(e)}`,
        );
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [query]);

  const trendPoints: LinePoint[] = (trends?.data ?? []).map((d) => ({ label: shortDate(d.date), value: d.average_score }));
  const myPoints: LinePoint[] = (history?.scores_over_time ?? []).map((p) => ({ label: shortDate(p.date), value: p.overall_score }));

  return (
    <div className="stack" data-testid="history">
      <h1>History</h1>

      <section className="card" aria-labelledby="mine-title">
        <h2 id="mine-title">Your progress</h2>
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            setQuery(name);
          }}
        >
          <label className="inline-field">
            <span>Candidate name</span>
            <input value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <button className="btn" type="submit">Show</button>
        </form>
        {historyMessage && <p className="muted">{historyMessage}</p>}
        {history && (
          <>
            <dl className="stats">
              <div><dt>Interviews</dt><dd>{history.total_interviews}</dd></div>
              <div><dt>Average</dt><dd>{history.average_score.toFixed(1)}</dd></div>
              <div><dt>Best</dt><dd>{history.best_score.toFixed(1)}</dd></div>
              <div><dt>Latest</dt><dd>{history.latest_score.toFixed(1)}</dd></div>
              <div><dt>Since the first</dt><dd>{history.improvement >= 0 ? "+" : ""}{history.improvement.toFixed(1)}</dd></div>
            </dl>
            {myPoints.length > 0 && <LineChart points={myPoints} title="Your overall scores" />}
            {percentiles.length > 0 && (
              <ul className="plain-list" data-testid="percentiles">
                {percentiles.map((p) => (
                  <li key={p.type}>
                    <strong>{typeNames[p.type] ?? p.type}</strong>: your latest {p.score.toFixed(1)}
                    {p.count < 2
                      ? " is the only graded interview of this type so far: nothing to compare it with yet."
                      : p.percentile !== null
                      ? ` is at about the ${p.percentile}th percentile of ${p.count} interview${p.count === 1 ? "" : "s"} of this type${p.median !== null ? ` (median ${p.median.toFixed(1)})` : ""}.`
                      : " (no comparison available yet)."}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </section>

      <section className="card" aria-labelledby="trend-title">
        <h2 id="trend-title">Everyone, last 30 days</h2>
        {trendsError && <p className="alert warn">{trendsError}</p>}
        {trends && trendPoints.length === 0 && <p className="muted">No graded interviews in the last 30 days.</p>}
        {trends && trendPoints.length > 0 && (
          <>
            <p className="muted">
              Average score per day · trend: <strong>{trends.trend}</strong>
              {typeof trends.change === "number" ? ` (${trends.change >= 0 ? "+" : ""}${trends.change.toFixed(2)})` : ""}
            </p>
            <LineChart points={trendPoints} title="Average score per day" />
          </>
        )}
      </section>

      <section className="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Past sessions</h2>
        {sessionsError && <p className="alert error" role="alert">{sessionsError}</p>}
        {!sessions && !sessionsError && <p className="muted">Loading…</p>}
        {sessions?.length === 0 && <p className="muted">No sessions yet. <Link to="/">Start your first interview</Link>.</p>}
        {sessions && sessions.length > 0 && (
          <ul className="session-list">
            {sessions.map((s) => (
              <li key={s.session_id} className="session-item" data-testid="session-item">
                <div>
                  <strong>{s.interview_type_name}</strong> · {s.candidate_name}
                  <div className="small muted">
                    {formatDate(s.created_at)} · {s.turns} turn{s.turns === 1 ? "" : "s"} · {formatDuration(s.duration_seconds)}
                  </div>
                </div>
                {s.status === "ended" ? (
                  <Link to={`/report/${s.session_id}`} className="btn small">Report</Link>
                ) : (
                  <Link to={`/interview/${s.session_id}`} className="btn small ghost">Resume</Link>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
