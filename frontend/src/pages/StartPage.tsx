import { useEffect, useRef, useState } from "react";
import { api, describeError } from "../lib/api";
import { navigate } from "../lib/router";
import type { CvAnalysis, InterviewType } from "../lib/types";
import { CvReview } from "../components/CvReview";

const CV_TYPES = [".pdf", ".docx", ".txt"];
const MAX_CV_BYTES = 10 * 1024 * 1024;
export const LAST_NAME_KEY = "prepai.candidateName";

export function checkCvFile(file: File): string | null {
  const lower = file.name.toLowerCase();
  if (!CV_TYPES.some((ext) => lower.endsWith(ext))) return "The CV must be a PDF, DOCX or TXT file.";
  if (file.size === 0) return "That file is empty.";
  if (file.size > MAX_CV_BYTES) return "The CV is larger than the 10 MiB limit.";
  return null;
}

export function StartPage() {
  const [types, setTypes] = useState<InterviewType[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [name, setName] = useState(() => localStorage.getItem(LAST_NAME_KEY) ?? "");
  const [jobDescription, setJobDescription] = useState("");
  const [cv, setCv] = useState<File | null>(null);
  const [cvError, setCvError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [review, setReview] = useState<{ sessionId: string; analysis: CvAnalysis; filename: string } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const load = () => {
    setLoadError(null);
    api
      .interviewTypes()
      .then((r) => setTypes(r.interview_types))
      .catch((e) => setLoadError(describeError(e)));
  };
  useEffect(load, []);

  const pickFile = (file: File | undefined) => {
    if (!file) return;
    const problem = checkCvFile(file);
    setCvError(problem);
    setCv(problem ? null : file);
  };

  const start = async () => {
    setError(null);
    if (!selected) return setError("Choose an interview type first.");
    if (!name.trim()) return setError("Enter your name so the interviewer can address you.");
    setBusy("Creating your session…");
    try {
      const session = await api.createSession({
        interview_type: selected,
        candidate_name: name.trim(),
        ...(jobDescription.trim() ? { job_description: jobDescription.trim() } : {}),
      });
      localStorage.setItem(LAST_NAME_KEY, name.trim());
      if (cv) {
        setBusy("Reading your CV…");
        try {
          const uploaded = await api.uploadCv(session.session_id, cv);
          setReview({ sessionId: session.session_id, analysis: uploaded.analysis, filename: uploaded.filename });
          setBusy(null);
          return;
        } catch (e) {
          setBusy(null);
          setError(`The session was created, but the CV could not be read: ${describeError(e)} You can start without it.`);
          setReview(null);
          setPendingSession(session.session_id);
          return;
        }
      }
      navigate(`/interview/${session.session_id}`);
    } catch (e) {
      setBusy(null);
      setError(describeError(e));
    }
  };
  const [pendingSession, setPendingSession] = useState<string | null>(null);

  const saveReview = async (analysis: CvAnalysis) => {
    if (!review) return;
    setBusy("Saving…");
    try {
      await api.saveCvAnalysis(review.sessionId, analysis);
      navigate(`/interview/${review.sessionId}`);
    } catch (e) {
      setBusy(null);
      setError(`Your corrections could not be saved: ${describeError(e)}`);
    }
  };

  if (review) {
    return (
      <div className="stack">
        {error && <p className="alert error" role="alert">{error}</p>}
        <CvReview
          analysis={review.analysis}
          filename={review.filename}
          saving={busy !== null}
          onSave={saveReview}
          onSkip={() => navigate(`/interview/${review.sessionId}`)}
        />
      </div>
    );
  }

  return (
    <div className="stack">
      <section className="hero">
        <h1>Practise the interview before it counts</h1>
        <p className="lead">
          Speak or type with an AI interviewer, solve coding problems in the browser, and get a graded report with
          evidence from your own answers.
        </p>
      </section>

      <section aria-labelledby="types-title">
        <h2 id="types-title">1. Choose an interview</h2>
        {loadError && (
          <div className="alert error" role="alert">
            The interview types could not be loaded: {loadError}{" "}
            <button className="btn small" onClick={load}>Retry</button>
          </div>
        )}
        {!types && !loadError && <p className="muted" aria-live="polite">Loading interview types…</p>}
        {types && (
          <div className="type-grid" role="radiogroup" aria-label="Interview type">
            {types.map((t, i) => (
              <button
                key={t.id}
                type="button"
                role="radio"
                aria-checked={selected === t.id}
                className={`type-card${selected === t.id ? " selected" : ""}`}
                data-testid={`interview-type-${t.id}`}
                onClick={() => setSelected(t.id)}
                tabIndex={selected === t.id || (selected === null && i === 0) ? 0 : -1}
                onKeyDown={(e) => {
                  // A radio group: arrows move the choice, Tab leaves the group.
                  const step = e.key === "ArrowRight" || e.key === "ArrowDown" ? 1 : e.key === "ArrowLeft" || e.key === "ArrowUp" ? -1 : 0;
                  if (!step) return;
                  e.preventDefault();
                  const next = types[(i + step + types.length) % types.length]!;
                  setSelected(next.id);
                  (e.currentTarget.parentElement?.children[(i + step + types.length) % types.length] as HTMLElement | undefined)?.focus();
                }}
              >
                <span className="type-name">{t.name}</span>
                <span className="type-desc">{t.description}</span>
                {typeof t.duration_minutes === "number" && (
                  <span className="type-meta">about {t.duration_minutes} min</span>
                )}
              </button>
            ))}
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="about-title">
        <h2 id="about-title">2. About you</h2>
        <label className="field">
          <span>Your name</span>
          <input
            data-testid="candidate-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="name"
            maxLength={120}
            required
          />
        </label>
        <label className="field">
          <span>
            Job description <span className="muted">(optional)</span>
          </span>
          <textarea
            value={jobDescription}
            onChange={(e) => setJobDescription(e.target.value)}
            rows={3}
            maxLength={8000}
            placeholder="Paste the role's description to focus the questions"
          />
        </label>
        <div className="field">
          <span id="cv-label">
            CV <span className="muted">(optional: PDF, DOCX or TXT, up to 10 MiB)</span>
          </span>
          <div
            className={`dropzone${dragging ? " dragging" : ""}`}
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={(e) => {
              e.preventDefault();
              setDragging(false);
              pickFile(e.dataTransfer.files[0]);
            }}
            data-testid="cv-dropzone"
          >
            <input
              ref={fileInput}
              id="cv-file"
              type="file"
              accept=".pdf,.docx,.txt,application/pdf,text/plain,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
              data-testid="cv-upload"
              className="visually-hidden"
              aria-labelledby="cv-label"
              onChange={(e) => pickFile(e.target.files?.[0])}
            />
            {cv ? (
              <p>
                <strong>{cv.name}</strong> <span className="muted">({Math.ceil(cv.size / 1024)} KiB)</span>{" "}
                <button className="btn small ghost" type="button" onClick={() => setCv(null)}>
                  Remove
                </button>
              </p>
            ) : (
              <p>
                Drop your CV here or{" "}
                <button className="linklike" type="button" onClick={() => fileInput.current?.click()}>
                  choose a file
                </button>
              </p>
            )}
          </div>
          {cvError && <p className="field-error" role="alert">{cvError}</p>}
        </div>
      </section>

      {error && <p className="alert error" role="alert">{error}</p>}
      <div className="actions">
        {pendingSession ? (
          <button className="btn primary big" onClick={() => navigate(`/interview/${pendingSession}`)} data-testid="start-interview">
            Start the interview without the CV
          </button>
        ) : (
          <button className="btn primary big" onClick={start} disabled={busy !== null} data-testid="start-interview">
            {busy ?? "Start interview"}
          </button>
        )}
        {!selected && <span className="muted">Choose an interview type above.</span>}
      </div>
    </div>
  );
}
