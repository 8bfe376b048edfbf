export function formatClock(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(h > 0 ? 2 : 1, "0");
  return `${h > 0 ? `${h}:` : ""}${mm}:${String(sec).padStart(2, "0")}`;
}

/** One line about a turn's latency: the voice measure when there is one, else the text one. */
export function metricsSummary(stages: Record<string, number>): string {
  const voice = stages.speech_end_to_first_audio;
  if (typeof voice === "number") return `Last reply: first audio ${(voice / 1000).toFixed(1)} s after you stopped`;
  const first = stages.transcript_to_first_token ?? stages.turn_to_first_token;
  if (typeof first === "number") return `Last reply: first words after ${(first / 1000).toFixed(1)} s`;
  const total = Object.values(stages).reduce((a, b) => Math.max(a, b), 0);
  return `Last reply: ${(total / 1000).toFixed(1)} s`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "—";
  const m = Math.round(seconds / 60);
  return m < 1 ? `${Math.round(seconds)} s` : `${m} min`;
}

export const RECOMMENDATION_LABEL: Record<string, string> = {
  STRONG_HIRE: "Strong hire",
  HIRE: "Hire",
  LEAN_HIRE: "Lean hire",
  LEAN_NO_HIRE: "Lean no hire",
  NO_HIRE: "No hire",
};

/** Approximate percentile of a score from the benchmark quantiles (piecewise linear between them). */
export function percentileOf(
  score: number,
  b: { min?: number | null; p25?: number | null; p50?: number | null; p75?: number | null; p90?: number | null; max?: number | null },
): number | null {
  const points: [number, number][] = [];
  const add = (v: number | null | undefined, p: number) => {
    if (typeof v === "number") points.push([v, p]);
  };
  add(b.min, 0);
  add(b.p25, 25);
  add(b.p50, 50);
  add(b.p75, 75);
  add(b.p90, 90);
  add(b.max, 100);
  if (points.length < 2) return null;
  // A score equal to some quantiles (e.g. min = median = max with few interviews) sits in their middle.
  const equal = points.filter(([v]) => v === score);
  if (equal.length > 0) return Math.round(equal.reduce((a, [, p]) => a + p, 0) / equal.length);
  if (score <= points[0]![0]) return points[0]![1];
  for (let i = 1; i < points.length; i++) {
    const [x0, p0] = points[i - 1]!;
    const [x1, p1] = points[i]!;
    if (score <= x1) return x1 === x0 ? p1 : Math.round(p0 + ((score - x0) / (x1 - x0)) * (p1 - p0));
  }
  return 100;
}
