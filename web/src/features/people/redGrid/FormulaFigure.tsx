import { useTranslation } from "react-i18next";
import { Typography } from "antd";
import type { CoverageRatio } from "./api";
import { formatRatio, formulaText } from "./coverage";

/**
 * A ratio with its formula beside it (every figure in the product shows how it is computed):
 * 93.4 %  271 / 290  = 有红色网格员联系的户数 / 总户数
 */
export function FormulaFigure({
  label,
  ratio,
  compact,
  testId,
}: {
  label?: string;
  ratio: CoverageRatio;
  /** In a table cell: the figure and its fraction; the column header carries the formula. */
  compact?: boolean;
  testId?: string;
}) {
  const { t, i18n } = useTranslation();
  const pct = formatRatio(ratio, i18n.language);
  const fraction = `${ratio.numerator.toLocaleString(i18n.language)} / ${ratio.denominator.toLocaleString(i18n.language)}`;
  if (compact) {
    return (
      <span className="gz-figure-compact" data-testid={testId}>
        <span className="gz-figure-value">{pct ?? t("coverage.noDenominator")}</span>
        <Typography.Text type="secondary" className="gz-figure-fraction">
          {fraction}
        </Typography.Text>
      </span>
    );
  }
  return (
    <div className="gz-figure" data-testid={testId}>
      {label && <div className="gz-figure-label">{label}</div>}
      <div className="gz-figure-main">
        <span className="gz-figure-value">{pct ?? t("coverage.noDenominator")}</span>
        <Typography.Text type="secondary" className="gz-figure-fraction">
          {fraction}
        </Typography.Text>
      </div>
      <div className="gz-figure-formula" data-testid={testId ? `${testId}-formula` : undefined}>
        {t("coverage.formula", { formula: formulaText(ratio, i18n.language) })}
      </div>
    </div>
  );
}

/** The formula as a column header's second line. */
export function FormulaHeader({ title, ratio }: { title: string; ratio: CoverageRatio | undefined }) {
  const { i18n } = useTranslation();
  return (
    <div>
      <div>{title}</div>
      {ratio && <div className="gz-figure-formula gz-figure-formula-head">{formulaText(ratio, i18n.language)}</div>}
    </div>
  );
}
