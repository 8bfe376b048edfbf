// The five competencies as a radar chart (SVG). A competency without a score is drawn as a gap on its axis
// and labelled "not assessed"; the polygon joins only the assessed ones.
import { COMPETENCIES, type Competency } from "../lib/types";

export interface RadarPoint {
  key: Competency;
  label: string;
  score: number | null;
}

export function radarPoints(scores: Record<Competency, number | null>): RadarPoint[] {
  return COMPETENCIES.map((c) => ({ key: c.key, label: c.label, score: scores[c.key] ?? null }));
}

export function RadarChart({ points, size = 300 }: { points: RadarPoint[]; size?: number }) {
  // The labels sit outside the chart: room on the sides for the longest ("Technical knowledge").
  const padY = 48;
  const padX = 140;
  const r = (size - 2 * padY) / 2;
  const width = size + 2 * (padX - padY);
  const cx = width / 2;
  const cy = size / 2;
  const n = points.length;
  const at = (i: number, value: number) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
    return [cx + Math.cos(angle) * r * (value / 10), cy + Math.sin(angle) * r * (value / 10)] as const;
  };
  const rings = [2, 4, 6, 8, 10];
  const assessed = points.map((p, i) => ({ p, i })).filter(({ p }) => p.score !== null);
  const polygon = assessed.map(({ p, i }) => at(i, p.score!).join(",")).join(" ");
  const description = points.map((p) => `${p.label}: ${p.score === null ? "not assessed" : p.score.toFixed(1)}`).join("; ");
  return (
    <svg
      viewBox={`0 0 ${width} ${size}`}
      className="radar"
      role="img"
      aria-label={`Competency scores out of 10. ${description}`}
      data-testid="radar-chart"
    >
      {rings.map((v) => (
        <polygon
          key={v}
          points={points.map((_, i) => at(i, v).join(",")).join(" ")}
          className={v === 10 ? "radar-ring outer" : "radar-ring"}
        />
      ))}
      {points.map((p, i) => {
        const [x, y] = at(i, 10);
        const [lx, ly] = at(i, 11.6);
        const anchor = Math.abs(lx - cx) < 8 ? "middle" : lx > cx ? "start" : "end";
        return (
          <g key={p.key}>
            <line x1={cx} y1={cy} x2={x} y2={y} className={p.score === null ? "radar-axis missing" : "radar-axis"} />
            <text x={lx} y={ly} textAnchor={anchor} dominantBaseline="middle" className="radar-label">
              <tspan x={lx} dy="-0.5em">{p.label}</tspan>
              <tspan x={lx} dy="1.2em" className={p.score === null ? "radar-value missing" : "radar-value"}>
                {p.score === null ? "not assessed" : p.score.toFixed(1)}
              </tspan>
            </text>
          </g>
        );
      })}
      {assessed.length >= 3 && <polygon points={polygon} className="radar-area" />}
      {assessed.length === 2 && <polyline points={polygon} className="radar-area" />}
      {assessed.map(({ p, i }) => {
        const [x, y] = at(i, p.score!);
        return <circle key={p.key} cx={x} cy={y} r={4} className="radar-dot" />;
      })}
    </svg>
  );
}
