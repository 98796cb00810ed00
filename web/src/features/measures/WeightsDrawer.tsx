import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, App, Button, DatePicker, Drawer, Grid, InputNumber, Space, Table, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { describeError } from "../errors";
import { inLang, useMeasureWeights, useSetMeasureWeights, type Formula, type Weights } from "./api";

/**
 * 考核权重: the weights of the composite for an area from a month on. The server checks them again
 * (non-negative, adding up to 100) and answers with the field at fault.
 */
export function WeightsDrawer({
  open,
  onClose,
  areaId,
  areaName,
  month,
  formulas,
}: {
  open: boolean;
  onClose: () => void;
  areaId: string;
  areaName: string;
  month: string;
  formulas: Formula[];
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const current = useMeasureWeights(areaId, month, open);
  const save = useSetMeasureWeights();
  const [fromMonth, setFromMonth] = useState(month);
  const [weights, setWeights] = useState<Weights>({});
  const [error, setError] = useState<{ text: string; field: string | undefined } | null>(null);
  useEffect(() => {
    if (open && current.data) {
      setWeights(current.data.effective.weights);
      setFromMonth(month);
      setError(null);
    }
  }, [open, current.data, month]);
  const sum = useMemo(() => Object.values(weights).reduce((a, b) => a + (b ?? 0), 0), [weights]);
  const source = current.data?.effective;

  const submit = () =>
    save.mutate(
      { areaId, fromMonth, weights: Object.fromEntries(Object.entries(weights).filter(([, v]) => v !== undefined && v !== null)) },
      {
        onSuccess: () => {
          void message.success(t("measures.weights.saved"));
          onClose();
        },
        onError: (e) => setError({ text: describeError(t, e), field: (e as { field?: string }).field }),
      },
    );

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={screens.md ? 480 : "100%"}
      destroyOnHidden
      title={t("measures.weights.title", { area: areaName })}
      extra={
        <Button type="primary" onClick={submit} loading={save.isPending} disabled={!current.data?.canEdit} data-testid="weights-save">
          {t("common.save")}
        </Button>
      }
    >
      <Space direction="vertical" size={12} style={{ width: "100%" }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t("measures.weights.intro")}
        </Typography.Paragraph>
        {source && (
          <Typography.Text>
            {t("measures.weights.inForce")}
            <Tag bordered={false} color={source.source === "builtIn" ? "default" : "blue"} style={{ marginLeft: 6 }}>
              {source.source === "builtIn"
                ? t("measures.weights.builtIn")
                : source.source === "deployment"
                  ? t("measures.weights.deployment", { month: source.fromMonth })
                  : t("measures.weights.area", { month: source.fromMonth })}
            </Tag>
          </Typography.Text>
        )}
        <Space>
          <Typography.Text>{t("measures.weights.fromMonth")}</Typography.Text>
          <DatePicker picker="month" allowClear={false} value={dayjs(`${fromMonth}-01`)} onChange={(d) => d && setFromMonth(d.format("YYYY-MM"))} />
        </Space>
        <Table<Formula>
          size="small"
          rowKey="key"
          pagination={false}
          dataSource={formulas}
          columns={[
            { title: t("measures.weights.measure"), render: (_: unknown, f) => inLang(f.name, i18n.language) },
            {
              title: t("measures.weights.weight"),
              width: 140,
              render: (_: unknown, f) => (
                <InputNumber<number>
                  min={0}
                  max={100}
                  value={weights[f.key] ?? 0}
                  status={error?.field === `weights.${f.key}` ? "error" : undefined}
                  onChange={(v) => setWeights((w) => ({ ...w, [f.key]: v ?? 0 }))}
                  data-testid={`weight-${f.key}`}
                />
              ),
            },
          ]}
        />
        <Typography.Text type={Math.abs(sum - 100) < 1e-6 ? "success" : "danger"} data-testid="weights-sum">
          {t("measures.weights.sum", { sum: Math.round(sum * 100) / 100 })}
        </Typography.Text>
        {error && <Alert type="error" showIcon message={error.text} />}
        {current.isError && <Alert type="warning" showIcon message={describeError(t, current.error)} />}
      </Space>
    </Drawer>
  );
}
