import { useTranslation } from "react-i18next";
import { Empty } from "antd";
import type { MeasureRow } from "./api";

/** Horizontal bars of the composite score (0–100) per unit in ranking order (units with too few cases after, said in words); plain SVG. */
export function CompositeBars({ rows, selected, onSelect }: { rows: MeasureRow[]; selected?: string | undefined; onSelect?: (id: string) => void }) {
  const { t } = useTranslation();
  const scored = rows.filter((r) => r.composite !== null).slice(0, 30);
  if (scored.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("measures.noScores")} />;
  const barH = 22;
  const gap = 6;
  const labelW = 120;
  const width = 560;
  // Room after the bar for the score, and for "样本不足" when a unit has too few cases to rank.
  const plotW = width - labelW - (scored.some((r) => r.tooFewCases) ? 120 : 48);
  const height = scored.length * (barH + gap);
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={t("measures.barsTitle")} data-testid="measures-bars" className="gz-measure-svg">
      {scored.map((r, i) => {
        const y = i * (barH + gap);
        const w = Math.max(1, (plotW * r.composite!) / 100);
        const active = r.unitId === selected;
        return (
          <g key={r.unitId} transform={`translate(0 ${y})`} onClick={() => onSelect?.(r.unitId)} style={{ cursor: onSelect ? "pointer" : undefined }}>
            <text x={labelW - 8} y={barH / 2} dominantBaseline="central" textAnchor="end" fontSize="12" fill="#3b3b3b">
              {r.unitName.length > 9 ? `${r.unitName.slice(0, 8)}…` : r.unitName}
            </text>
            <rect x={labelW} y={0} width={plotW} height={barH} fill="#f3f4f6" rx={3} />
            <rect x={labelW} y={0} width={w} height={barH} fill={active ? "#c8161d" : r.tooFewCases ? "#f0a3a6" : "#e0585e"} rx={3} />
            <text x={labelW + w + 6} y={barH / 2} dominantBaseline="central" fontSize="12" fill="#3b3b3b">
              {r.tooFewCases ? `${r.composite!.toFixed(1)} · ${t("measures.tooFewCases")}` : r.composite!.toFixed(1)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
