// The coding panel: the problem, Monaco, the language switch, a run against the problem's tests, the
// verdict per test and the quality metrics. Loaded on demand (Monaco is most of the bundle).
import { useEffect, useRef, useState } from "react";
import { api, describeError } from "../lib/api";
import { LANGUAGES, VERDICT_TONE, formatArgs, formatValue, qualityLines, starterCode } from "../lib/code";
import type { CodeLanguage, ExecuteResult, Problem } from "../lib/types";
import { monaco } from "./monaco";

export default function CodingPanel(props: {
  sessionId: string;
  problem: Problem;
  onClose: () => void;
  onRun: (result: ExecuteResult) => void;
}) {
  const { problem } = props;
  const [language, setLanguage] = useState<CodeLanguage>("python");
  const codes = useRef<Partial<Record<CodeLanguage, string>>>({});
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<ExecuteResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const ed = monaco.editor.create(host.current, {
      value: starterCode(problem, "python"),
      language: "python",
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 14,
      scrollBeyondLastLine: false,
      tabSize: 4,
      ariaLabel: `Code editor for ${problem.title}`,
      wordWrap: "on",
      fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace",
    });
    editor.current = ed;
    return () => {
      ed.getModel()?.dispose();
      ed.dispose();
      editor.current = null;
    };
  }, [problem]);

  useEffect(() => {
    codes.current = {};
    setResult(null);
    setError(null);
    setLanguage("python");
  }, [problem]);

  const switchLanguage = (next: CodeLanguage) => {
    const ed = editor.current;
    if (!ed) return;
    codes.current[language] = ed.getValue();
    const model = ed.getModel();
    if (model) monaco.editor.setModelLanguage(model, next);
    ed.setValue(codes.current[next] ?? starterCode(problem, next));
    setLanguage(next);
  };

  const reset = () => editor.current?.setValue(starterCode(problem, language));

  const run = async () => {
    const code = editor.current?.getValue() ?? "";
    if (!code.trim()) return setError("Write some code first.");
    setRunning(true);
    setError(null);
    try {
      const r = await api.execute({ sessionId: props.sessionId, code, language, problemId: problem.id });
      setResult(r);
      props.onRun(r);
    } catch (e) {
      setError(`The run failed: ${describeError(e)}`);
    } finally {
      setRunning(false);
    }
  };

  return (
    <section className="coding card" aria-labelledby="problem-title" data-testid="coding-panel">
      <div className="coding-head">
        <div>
          <h2 id="problem-title">{problem.title}</h2>
          <p className="muted small">
            <span className={`badge ${problem.difficulty}`}>{problem.difficulty}</span> {problem.tags.join(" · ")} · target{" "}
            {problem.target_complexity.time} time
          </p>
        </div>
        <button className="btn ghost small" onClick={props.onClose} aria-label="Close the coding panel">
          Close
        </button>
      </div>
      <details className="statement" open>
        <summary>Problem statement</summary>
        {paragraphs(problem.statement).map((para, i) => (
          <p key={i}>{withCode(para)}</p>
        ))}
        {problem.examples.length > 0 && (
          <ol className="examples">
            {problem.examples.map((ex, i) => (
              <li key={i}>
                <code>{formatArgs(ex.input)}</code> → <code>{formatValue(ex.output)}</code>
                {ex.explanation && <span className="muted"> — {ex.explanation}</span>}
              </li>
            ))}
          </ol>
        )}
        {problem.constraints.length > 0 && (
          <ul className="constraints muted small">
            {problem.constraints.map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ul>
        )}
      </details>
      <div className="toolbar">
        <label className="inline-field">
          <span>Language</span>
          <select value={language} onChange={(e) => switchLanguage(e.target.value as CodeLanguage)} data-testid="language-select">
            {LANGUAGES.map((l) => (
              <option key={l.id} value={l.id}>
                {l.label}
              </option>
            ))}
          </select>
        </label>
        <button className="btn ghost small" onClick={reset}>
          Reset to template
        </button>
        <span className="spacer" />
        <button className="btn primary" onClick={run} disabled={running} data-testid="run-tests">
          {running ? "Running…" : "Run tests"}
        </button>
      </div>
      <div className="editor" ref={host} data-testid="code-editor" />
      {error && <p className="alert error" role="alert">{error}</p>}
      <div data-testid="test-results" aria-live="polite" className="results">
        {running && <p className="muted">Running your code against the tests…</p>}
        {result && !running && <RunResult result={result} />}
      </div>
    </section>
  );
}

/** The statement's paragraphs (blank-line separated; single line breaks are the bank's wrapping). */
export function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, " ").trim())
    .filter(Boolean);
}

/** `backticked` words as code. */
function withCode(text: string): React.ReactNode[] {
  return text.split(/(`[^`]+`)/).map((part, i) =>
    part.startsWith("`") && part.endsWith("`") && part.length > 2 ? <code key={i}>{part.slice(1, -1)}</code> : part,
  );
}

function RunResult({ result }: { result: ExecuteResult }) {
  const tone = VERDICT_TONE[result.verdict] ?? "warn";
  return (
    <div className="stack-sm">
      <p className={`verdict ${tone}`} data-testid="verdict">
        <strong>{result.verdictLabel}</strong> · {result.passedCount}/{result.total} tests passed ·{" "}
        {Math.round(result.executionTimeMs)} ms
      </p>
      {result.error && <pre className="output">{result.error}</pre>}
      {result.compileOutput && <pre className="output">{result.compileOutput}</pre>}
      <div className="table-wrap">
        <table className="tests">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Input</th>
              <th scope="col">Expected</th>
              <th scope="col">Got</th>
              <th scope="col">Verdict</th>
            </tr>
          </thead>
          <tbody>
            {result.testResults.map((t, i) => (
              <tr key={i} className={t.passed ? "pass" : "fail"} data-testid="test-row">
                <td>{i + 1}</td>
                <td><code>{t.hidden ? "hidden" : formatValue(t.input)}</code></td>
                <td><code>{t.hidden ? "hidden" : formatValue(t.expected)}</code></td>
                <td>
                  <code>{t.hidden ? "" : formatValue(t.actual)}</code>
                  {t.error && <div className="small error-text">{t.error}</div>}
                </td>
                <td>{t.passed ? "✓ " : "✗ "}{t.verdictLabel ?? (t.passed ? "Passed" : "Failed")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details className="quality">
        <summary>Code quality</summary>
        <dl className="metrics">
          {qualityLines(result.qualityMetrics).map((m) => (
            <div key={m.label}>
              <dt>{m.label}</dt>
              <dd>
                <strong>{m.value}</strong>
                <span className="muted small"> — {m.help}</span>
              </dd>
            </div>
          ))}
        </dl>
        {result.qualityMetrics.deductions.length > 0 && (
          <ul className="small">
            {result.qualityMetrics.deductions.map((d, i) => (
              <li key={i}>{d}</li>
            ))}
          </ul>
        )}
      </details>
    </div>
  );
}
