import { useTranslation } from "react-i18next";
import { Popover, Tooltip, Typography } from "antd";
import { QuestionCircleOutlined } from "@ant-design/icons";
import { inLang, percent, type Formula, type Ratio } from "./api";
import "./measures.css";

/** A rate as a percentage; hovering shows numerator / denominator. No denominator → "—". */
export function RateCell({ ratio, testId }: { ratio: Ratio | undefined; testId?: string }) {
  const { t, i18n } = useTranslation();
  if (!ratio) return null;
  const pct = percent(ratio.value, i18n.language);
  const fraction = t("measures.fraction", { numerator: ratio.numerator.toLocaleString(i18n.language), denominator: ratio.denominator.toLocaleString(i18n.language) });
  return (
    <Tooltip title={pct === null ? t("measures.noDenominator") : fraction}>
      <span className="gz-measure-cell" data-testid={testId}>
        <span className="gz-measure-value">{pct ?? "—"}</span>
        <Typography.Text type="secondary" className="gz-measure-fraction">
          {ratio.numerator}/{ratio.denominator}
        </Typography.Text>
      </span>
    </Tooltip>
  );
}

/** A column header with a "?" that opens the formula. */
export function RateHeader({ formula }: { formula: Pick<Formula, "name" | "formula" | "lowerIsBetter"> & { key: string } }) {
  const { t, i18n } = useTranslation();
  return (
    <span className="gz-measure-head">
      {inLang(formula.name, i18n.language)}
      <Popover
        title={inLang(formula.name, i18n.language)}
        content={
          <div style={{ maxWidth: 320 }}>
            <div>{inLang(formula.formula, i18n.language)}</div>
            {formula.lowerIsBetter && (
              <Typography.Text type="secondary" style={{ display: "block", marginTop: 6 }}>
                {t("measures.lowerIsBetter")}
              </Typography.Text>
            )}
          </div>
        }
      >
        <QuestionCircleOutlined className="gz-measure-help" aria-label={t("measures.showFormula")} data-testid={`formula-${formula.key}`} />
      </Popover>
    </span>
  );
}
