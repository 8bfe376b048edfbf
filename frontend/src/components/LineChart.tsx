// A small line chart of scores (0-10) over time, in SVG.
export interface LinePoint {
  label: string;
  value: number;
}

export function LineChart({ points, title, height = 180 }: { points: LinePoint[]; title: string; height?: number }) {
  const width = 560;
  const pad = { l: 32, r: 12, t: 12, b: 28 };
  const w = width - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  const x = (i: number) => pad.l + (points.length <= 1 ? w / 2 : (i * w) / (points.length - 1));
  const y = (v: number) => pad.t + h - (Math.max(0, Math.min(10, v)) / 10) * h;
  const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
  const labelEvery = Math.max(1, Math.ceil(points.length / 6));
  return (
    <svg viewBox={`0 0 ${width} ${height}`} className="linechart" role="img" aria-label={`${title}: ${points.map((p) => `${p.label} ${p.value.toFixed(1)}`).join(", ")}`}>
      {[0, 5, 10].map((v) => (
        <g key={v}>
          <line x1={pad.l} x2={width - pad.r} y1={y(v)} y2={y(v)} className="grid" />
          <text x={pad.l - 6} y={y(v)} textAnchor="end" dominantBaseline="middle" className="axis">
            {v}
          </text>
        </g>
      ))}
      <path d={path} className="line" />
      {points.map((p, i) => (
        <g key={i}>
          <circle cx={x(i)} cy={y(p.value)} r={4} className="dot" />
          {i % labelEvery === 0 && (
            <text x={x(i)} y={height - 8} textAnchor="middle" className="axis">
              {p.label}
            </text>
          )}
        </g>
      ))}
    </svg>
  );
}
