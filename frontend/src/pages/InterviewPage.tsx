import { Suspense, lazy, useCallback, useEffect, useReducer, useRef, useState } from "react";
import { api, describeError } from "../lib/api";
import { navigate } from "../lib/router";
import {
  InterviewSocket,
  emptyConversation,
  interviewSocketUrl,
  reduceConversation,
  withTranscript,
  type Conversation,
  type ServerEvent,
  type SocketStatus,
} from "../lib/protocol";
import type { ExecuteResult, Problem, ProblemSummary, SessionDetail, TranscriptEntry } from "../lib/types";
import { Microphone } from "../audio/mic";
import { SpeechPlayer } from "../audio/player";
import { formatClock, metricsSummary } from "../lib/format";

const CodingPanel = lazy(() => import("../components/CodingPanel"));

type Action = { kind: "event"; event: ServerEvent } | { kind: "transcript"; entries: TranscriptEntry[] };

function reducer(c: Conversation, a: Action): Conversation {
  return a.kind === "event" ? reduceConversation(c, a.event) : withTranscript(c, a.entries);
}

const STATE_LABEL = { listening: "Listening", thinking: "Thinking…", speaking: "Speaking" } as const;

export function InterviewPage({ sessionId }: { sessionId: string }) {
  const [conversation, dispatch] = useReducer(reducer, emptyConversation);
  const [session, setSession] = useState<SessionDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [status, setStatus] = useState<SocketStatus>("connecting");
  const [statusDetail, setStatusDetail] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [text, setText] = useState("");
  const [micOn, setMicOn] = useState(false);
  const [micError, setMicError] = useState<string | null>(null);
  const [level, setLevel] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [soundBlocked, setSoundBlocked] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [picker, setPicker] = useState<ProblemSummary[] | null>(null);
  const [pickerError, setPickerError] = useState<string | null>(null);
  const [ending, setEnding] = useState(false);
  const [now, setNow] = useState(Date.now());
  const [voice] = useState(() => new URLSearchParams(window.location.search).get("tts") !== "0");

  const socket = useRef<InterviewSocket | null>(null);
  const player = useRef<SpeechPlayer | null>(null);
  const mic = useRef<Microphone | null>(null);
  const transcriptBox = useRef<HTMLElement>(null);
  const pageOpenedAt = useRef(Date.now());

  const reloadTranscript = useCallback(() => {
    api
      .transcript(sessionId)
      .then((t) => dispatch({ kind: "transcript", entries: t.transcript }))
      .catch((e) => setNotice(`The transcript could not be reloaded: ${describeError(e)}`));
  }, [sessionId]);

  // The session record (type, start time, stored transcript), then the socket.
  useEffect(() => {
    let cancelled = false;
    api
      .session(sessionId)
      .then((s) => {
        if (cancelled) return;
        setSession(s);
        dispatch({ kind: "transcript", entries: s.transcript });
      })
      .catch((e) => !cancelled && setLoadError(describeError(e)));
    return () => {
      cancelled = true;
    };
  }, [sessionId]);

  const ended = session?.status === "ended";

  useEffect(() => {
    if (!session || session.status === "ended") return;
    const speech = new SpeechPlayer(setPlaying);
    player.current = speech;
    const url = interviewSocketUrl(sessionId) + (voice ? "" : "?tts=0");
    const ws = new InterviewSocket({
      url,
      onEvent: (event) => {
        dispatch({ kind: "event", event });
        if (event.type === "interrupted") speech.stop();
        else if (event.type === "problem") setProblem(event.problem);
        else if (event.type === "error") {
          setNotice(event.message);
          if (event.code === "session_ended") setSession((s) => (s ? { ...s, status: "ended" } : s));
        }
      },
      onAudio: (wav) => {
        speech.enqueue(wav);
        setTimeout(() => setSoundBlocked(speech.blocked), 200);
      },
      onStatus: (s, detail) => {
        setStatus(s);
        setStatusDetail(detail.reason ?? null);
        if (s === "open") {
          setNotice(null);
          if (detail.reconnected) reloadTranscript();
        }
        if (s === "reconnecting") speech.stop();
      },
    });
    socket.current = ws;
    ws.connect();
    return () => {
      ws.close();
      void speech.close();
      socket.current = null;
      player.current = null;
    };
  }, [session?.session_id, session?.status, sessionId, voice, reloadTranscript]);

  // The microphone goes off with the page.
  useEffect(
    () => () => {
      void mic.current?.stop();
    },
    [],
  );

  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  // On a narrow screen the panel opens below the conversation: bring it into view.
  const codeColumn = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problem && window.innerWidth < 900) codeColumn.current?.scrollIntoView?.({ block: "start", behavior: "smooth" });
  }, [problem]);

  useEffect(() => {
    // Follow the conversation inside its own scroll box (never scrolling the page away from the editor).
    const box = transcriptBox.current;
    if (box) box.scrollTop = box.scrollHeight;
  }, [conversation.messages]);

  const sendText = () => {
    const value = text.trim();
    if (!value || !socket.current) return;
    const sent = socket.current.send({ type: "text", text: value });
    setText("");
    if (!sent) setNotice("You are offline: your answer will be sent as soon as the connection is back.");
  };

  const interrupt = () => {
    player.current?.stop();
    socket.current?.send({ type: "interrupt" });
  };

  const toggleMic = async () => {
    setMicError(null);
    if (micOn) {
      await mic.current?.stop();
      mic.current = null;
      setMicOn(false);
      setLevel(0);
      return;
    }
    const m = new Microphone((frame) => {
      socket.current?.sendAudio(frame.pcm);
      setLevel(frame.level);
    });
    try {
      await m.start();
      mic.current = m;
      setMicOn(true);
      void player.current?.unlock();
    } catch (e) {
      setMicError(describeError(e));
    }
  };

  const endInterview = async () => {
    setEnding(true);
    try {
      await mic.current?.stop();
      await api.end(sessionId);
      navigate(`/report/${sessionId}`);
    } catch (e) {
      setEnding(false);
      setNotice(`The interview could not be ended: ${describeError(e)}`);
    }
  };

  const openPicker = async () => {
    setPickerError(null);
    try {
      setPicker((await api.problems()).problems);
    } catch (e) {
      setPickerError(describeError(e));
      setPicker([]);
    }
  };

  const openProblem = async (id: string) => {
    try {
      setProblem((await api.problem(id)).problem);
      setPicker(null);
    } catch (e) {
      setPickerError(describeError(e));
    }
  };

  const onRun = (r: ExecuteResult) => socket.current?.send({ type: "code_run", submission_id: r.submissionId });

  if (loadError) {
    return (
      <div className="card" role="alert">
        <h1>This interview could not be opened</h1>
        <p>{loadError}</p>
        <button className="btn primary" onClick={() => navigate("/")}>Start a new interview</button>
      </div>
    );
  }

  const startedAt = session ? Date.parse(session.started_at ?? session.created_at) : pageOpenedAt.current;
  const elapsed = Math.max(0, Math.floor((now - (Number.isFinite(startedAt) ? startedAt : pageOpenedAt.current)) / 1000));
  const lastMetrics = conversation.lastMetricsTurn ? conversation.metrics[conversation.lastMetricsTurn] : undefined;
  const canInterrupt = playing || conversation.state === "speaking";

  return (
    <div className={problem ? "interview with-code" : "interview"}>
      <div className="interview-main">
        <div className="interview-head card">
          <div>
            <h1 className="h2">{session?.interview_type_name ?? "Interview"}</h1>
            <p className="muted small">{session ? `with ${session.candidate_name}` : "Loading…"}</p>
          </div>
          <div className="head-right">
            <span className="timer" aria-label={`Elapsed time ${formatClock(elapsed)}`} data-testid="timer">
              {formatClock(elapsed)}
            </span>
            {status === "open" ? (
              <span className={`state-pill ${conversation.state}`} data-testid="interviewer-state" aria-live="polite">
                <span className="dot" aria-hidden="true" />
                {STATE_LABEL[conversation.state]}
              </span>
            ) : (
              <span className="state-pill" data-testid="interviewer-state">
                <span className="dot" aria-hidden="true" />
                {ended ? "Ended" : "Offline"}
              </span>
            )}
          </div>
        </div>

        {status !== "open" && !ended && (
          <p className={`alert ${status === "failed" ? "error" : "info"}`} role="status" data-testid="connection-status">
            {status === "connecting" && "Connecting to the interviewer…"}
            {status === "reconnecting" && `Connection lost; reconnecting${statusDetail ? ` (${statusDetail})` : "…"}. Your conversation is kept.`}
            {status === "failed" && (
              <>
                {statusDetail ?? "The connection failed."}{" "}
                <button className="btn small" onClick={() => socket.current?.retry()}>Try again</button>
              </>
            )}
            {status === "closed" && "Disconnected."}
          </p>
        )}
        {ended && (
          <p className="alert info" role="status">
            This interview has ended. <a href={`/report/${sessionId}`} onClick={(e) => { e.preventDefault(); navigate(`/report/${sessionId}`); }}>See the report</a>.
          </p>
        )}
        {notice && <p className="alert warn" role="alert">{notice}</p>}
        {soundBlocked && (
          <p className="alert info">
            Your browser paused the interviewer's voice.{" "}
            <button className="btn small" onClick={() => void player.current?.unlock().then(() => setSoundBlocked(false))}>
              Turn sound on
            </button>
          </p>
        )}

        <section ref={transcriptBox} className="transcript card" data-testid="transcript" aria-label="Transcript" aria-live="polite">
          {conversation.messages.length === 0 && (
            <p className="muted center">The interviewer will greet you in a moment…</p>
          )}
          {conversation.messages.map((m) => (
            <div
              key={m.key}
              className={`msg ${m.role}${m.done ? "" : " live"}${m.interrupted ? " interrupted" : ""}`}
              data-testid={m.done ? `message-${m.role}` : `partial-${m.role}`}
            >
              <span className="msg-who">{m.role === "assistant" ? "Interviewer" : "You"}</span>
              <p>
                {m.text || "…"}
                {m.interrupted && <span className="muted small"> (interrupted)</span>}
              </p>
            </div>
          ))}
        </section>

        <div className="composer card">
          <div className="voice-row">
            <button
              className={`btn mic${micOn ? " on" : ""}`}
              onClick={toggleMic}
              aria-pressed={micOn}
              data-testid="mic-toggle"
              disabled={ended}
            >
              {micOn ? "Mute microphone" : "Speak (microphone)"}
            </button>
            <div className="meter" role="meter" aria-label="Microphone level" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(Math.min(1, level * 4) * 100)}>
              <div className="meter-fill" style={{ width: `${Math.min(100, level * 400)}%` }} />
            </div>
            {playing && (
              <span className="playing small" data-testid="audio-playing" aria-live="polite">
                <span className="bars" aria-hidden="true"><i /><i /><i /></span>
                Interviewer speaking
              </span>
            )}
            <button className="btn ghost" onClick={interrupt} disabled={!canInterrupt} data-testid="interrupt">
              Interrupt
            </button>
          </div>
          {micError && <p className="field-error" role="alert">{micError}</p>}
          <form
            className="text-row"
            onSubmit={(e) => {
              e.preventDefault();
              sendText();
            }}
          >
            <label htmlFor="answer" className="visually-hidden">Type your answer</label>
            <textarea
              id="answer"
              data-testid="text-input"
              value={text}
              placeholder={ended ? "The interview has ended" : "Or type your answer… (Enter to send, Shift+Enter for a new line)"}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter" && !e.shiftKey) {
                  e.preventDefault();
                  sendText();
                }
              }}
              rows={2}
              maxLength={4000}
              disabled={ended}
            />
            <button className="btn primary" type="submit" data-testid="send" disabled={ended || !text.trim()}>
              Send
            </button>
          </form>
          <div className="composer-foot">
            <button className="btn ghost small" onClick={openPicker} data-testid="open-problems">
              Coding problems
            </button>
            {lastMetrics && (
              <details className="metrics-line small muted" data-testid="turn-metrics">
                <summary>{metricsSummary(lastMetrics)}</summary>
                <ul>
                  {Object.entries(lastMetrics).map(([k, v]) => (
                    <li key={k}>
                      {k.replace(/_/g, " ")}: {Math.round(v)} ms
                    </li>
                  ))}
                </ul>
              </details>
            )}
            <span className="spacer" />
            <button className="btn danger" onClick={endInterview} disabled={ending} data-testid="end-interview">
              {ending ? "Ending…" : "End interview"}
            </button>
          </div>
        </div>

        {picker !== null && (
          <section className="card" aria-labelledby="picker-title" data-testid="problem-list">
            <div className="coding-head">
              <h2 id="picker-title">Practice a coding problem</h2>
              <button className="btn ghost small" onClick={() => setPicker(null)}>Close</button>
            </div>
            {pickerError && <p className="alert error" role="alert">{pickerError}</p>}
            <ul className="problem-list">
              {picker.map((p) => (
                <li key={p.id}>
                  <button className="problem-item" onClick={() => void openProblem(p.id)} data-testid={`problem-${p.id}`}>
                    <span>{p.title}</span>
                    <span className={`badge ${p.difficulty}`}>{p.difficulty}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>

      {problem && (
        <div className="interview-code" ref={codeColumn}>
          <Suspense fallback={<div className="card muted">Loading the editor…</div>}>
            <CodingPanel sessionId={sessionId} problem={problem} onClose={() => setProblem(null)} onRun={onRun} />
          </Suspense>
        </div>
      )}
    </div>
  );
}
