import { useTranslation } from "react-i18next";
import { Empty, Space, Typography } from "antd";
import type { MeasureKey, TrendView } from "./api";

const series: { key: "composite" | MeasureKey; color: string }[] = [
  { key: "composite", color: "#c8161d" },
  { key: "response", color: "#1f5fa8" },
  { key: "resolution", color: "#2f9e44" },
  { key: "satisfaction", color: "#e67700" },
];

/** The composite and the three rates over six months, 0–100; months without a figure leave a gap. */
export function TrendChart({ trend }: { trend: TrendView }) {
  const { t } = useTranslation();
  const width = 560;
  const height = 200;
  const pad = { l: 36, r: 12, t: 10, b: 26 };
  const n = trend.points.length;
  const x = (i: number) => pad.l + (n <= 1 ? 0 : (i * (width - pad.l - pad.r)) / (n - 1));
  const valueOf = (key: "composite" | MeasureKey, i: number): number | null => {
    const p = trend.points[i]!;
    if (key === "composite") return p.composite;
    const v = p.measures[key]?.value;
    return v === null || v === undefined ? null : v * 100;
  };
  const values = trend.points.flatMap((_, i) => series.map((s) => valueOf(s.key, i))).filter((v): v is number => v !== null);
  if (values.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("measures.noTrend")} />;
  // Typical values sit at 85–99 %: start the axis just below the lowest one so changes show.
  const floor = Math.max(0, Math.min(80, Math.floor((Math.min(...values) - 5) / 10) * 10));
  const ticks = [0, 1, 2, 3, 4].map((i) => floor + ((100 - floor) * i) / 4);
  const y = (v: number) => pad.t + ((100 - v) * (height - pad.t - pad.b)) / (100 - floor);
  return (
    <div>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={t("measures.trendTitle")} data-testid="measures-trend" className="gz-measure-svg">
        {ticks.map((v) => (
          <g key={v}>
            <line x1={pad.l} x2={width - pad.r} y1={y(v)} y2={y(v)} stroke="#eceef1" />
            <text x={pad.l - 6} y={y(v)} textAnchor="end" dominantBaseline="central" fontSize="11" fill="#8c8c8c">
              {Math.round(v)}
            </text>
          </g>
        ))}
        {trend.points.map((p, i) => (
          <text key={p.month} x={x(i)} y={height - 8} textAnchor="middle" fontSize="11" fill="#8c8c8c">
            {p.month.slice(2).replace("-", "/")}
          </text>
        ))}
        {series.map((s) => {
          const segments: string[] = [];
          let current = "";
          trend.points.forEach((_, i) => {
            const v = valueOf(s.key, i);
            if (v === null) {
              if (current) segments.push(current);
              current = "";
            } else current += `${current ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
          });
          if (current) segments.push(current);
          return (
            <g key={s.key}>
              {segments.map((d, i) => (
                <path key={i} d={d} fill="none" stroke={s.color} strokeWidth={s.key === "composite" ? 2.5 : 1.5} />
              ))}
              {trend.points.map((_, i) => {
                const v = valueOf(s.key, i);
                return v === null ? null : <circle key={i} cx={x(i)} cy={y(v)} r={s.key === "composite" ? 3.5 : 2.5} fill={s.color} />;
              })}
            </g>
          );
        })}
      </svg>
      <Space size={16} wrap>
        {series.map((s) => (
          <Space key={s.key} size={4}>
            <span style={{ display: "inline-block", width: 12, height: 3, background: s.color }} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t(`measures.series.${s.key}`)}
            </Typography.Text>
          </Space>
        ))}
      </Space>
    </div>
  );
}
