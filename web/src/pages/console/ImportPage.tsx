import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Grid,
  Progress,
  Radio,
  Result,
  Select,
  Space,
  Steps,
  Table,
  Tag,
  Typography,
  Upload,
} from "antd";
import { DownloadOutlined, FileExcelOutlined, InboxOutlined, LockOutlined } from "@ant-design/icons";
import { describeError } from "../../features/errors";
import { ScopeAreaSelect } from "../../features/areas/ScopeAreaSelect";
import {
  downloadReport,
  downloadTemplate,
  ledgerKinds,
  previewImport,
  startImport,
  useImportJob,
  type ChosenMapping,
  type ImportJob,
  type ImportPreview,
  type ImportProblem,
  type LedgerKind,
} from "../../features/ledgers/api";
import { useLedgerExport } from "../../features/ledgers/ExportLedgerButton";
import { PageHead } from "./PageHead";

const ignoreValue = "__ignore";
/** Roles whose work needs clear values (the server decides; this only hides a button that would be refused). */

/** Header → field key (or ignore / undecided), from the server's suggestion. */
function initialAssignment(preview: ImportPreview): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const h of preview.headers) if (h) out[h] = undefined;
  for (const [field, header] of Object.entries(preview.suggestion)) if (header) out[header] = field;
  return out;
}

function toChosen(preview: ImportPreview, assignment: Record<string, string | undefined>): ChosenMapping {
  const mapping: Record<string, string | null> = {};
  for (const f of preview.fields) mapping[f.key] = null;
  const ignore: string[] = [];
  for (const [header, value] of Object.entries(assignment)) {
    if (value === ignoreValue) ignore.push(header);
    else if (value) mapping[value] = header;
  }
  return { mapping, ignore };
}

function JobProgress({ job }: { job: ImportJob | undefined }) {
  const { t } = useTranslation();
  if (!job) return <Progress percent={0} status="active" />;
  const percent = job.total ? Math.floor((job.done / job.total) * 100) : job.phase === "done" ? 100 : 0;
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Text data-testid="import-phase">
        {t(`imports.phase.${job.phase}`)}
        {job.total ? ` ${job.done} / ${job.total}` : ""}
      </Typography.Text>
      <Progress percent={percent} status={job.phase === "failed" ? "exception" : job.phase === "done" ? "success" : "active"} />
    </Space>
  );
}

function ProblemTable({ problems }: { problems: ImportProblem[] }) {
  const { t } = useTranslation();
  return (
    <Table<ImportProblem>
      size="small"
      rowKey={(p, i) => `${p.row}-${p.field ?? ""}-${i}`}
      dataSource={problems}
      pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
      data-testid="import-problems"
      scroll={{ x: 520 }}
      columns={[
        { title: t("imports.report.row"), dataIndex: "row", width: 80 },
        { title: t("imports.report.column"), dataIndex: "column", width: 160, render: (c?: string) => c ?? "—" },
        { title: t("imports.report.reason"), dataIndex: "reason" },
      ]}
    />
  );
}

/** The import page's export: masked and clear as two buttons (the lists use `ExportLedgerButton`'s menu). */
function ExportButtons({ kind, areaId }: { kind: LedgerKind; areaId: string | undefined }) {
  const { t } = useTranslation();
  const { mayClear, busy, asking, askPurpose, exportMasked, purposeDialog } = useLedgerExport(kind, areaId);
  return (
    <Space wrap>
      <Button icon={<DownloadOutlined />} disabled={!areaId} loading={busy && !asking} onClick={exportMasked} data-testid="export-masked">
        {t("imports.export.masked")}
      </Button>
      {mayClear && (
        <Button icon={<LockOutlined />} disabled={!areaId} onClick={askPurpose} data-testid="export-clear">
          {t("imports.export.clear")}
        </Button>
      )}
      {purposeDialog}
    </Space>
  );
}

/** 台账导入: choose kind and area → upload → match columns → check every row → import, with progress. */
export function ImportPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [step, setStep] = useState(0);
  const [kind, setKind] = useState<LedgerKind>("households");
  const [areaId, setAreaId] = useState<string | undefined>();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [assignment, setAssignment] = useState<Record<string, string | undefined>>({});
  const [checkJobId, setCheckJobId] = useState<string | null>(null);
  const [importJobId, setImportJobId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const narrow = !Grid.useBreakpoint().md;
  const checkJob = useImportJob(checkJobId);
  const importJob = useImportJob(importJobId);

  const fieldLabel = useMemo(() => new Map((preview?.fields ?? []).map((f) => [f.key, f.label])), [preview]);
  const usedFields = new Set(Object.values(assignment).filter((v): v is string => !!v && v !== ignoreValue));
  const undecided = Object.entries(assignment).filter(([, v]) => v === undefined).map(([h]) => h);
  const missing = (preview?.fields ?? []).filter((f) => f.required && !usedFields.has(f.key));

  const reset = (to: number) => {
    setStep(to);
    setCheckJobId(null);
    setImportJobId(null);
    setError(null);
    if (to <= 1) {
      setFile(null);
      setPreview(null);
    }
  };

  const onFile = async (f: File) => {
    if (!areaId) return;
    setBusy(true);
    setError(null);
    try {
      const p = await previewImport(kind, areaId, f);
      setFile(f);
      setPreview(p);
      setAssignment(initialAssignment(p));
      setStep(2);
    } catch (e) {
      setError(describeError(t, e));
    } finally {
      setBusy(false);
    }
  };

  const start = async (dryRun: boolean) => {
    if (!areaId || !file || !preview) return;
    setBusy(true);
    setError(null);
    try {
      const job = await startImport(kind, areaId, file, toChosen(preview, assignment), dryRun);
      if (dryRun) {
        setCheckJobId(job.id);
        setStep(3);
      } else {
        setImportJobId(job.id);
        setStep(4);
      }
    } catch (e) {
      setError(describeError(t, e));
    } finally {
      setBusy(false);
    }
  };

  const check = checkJob.data;
  const checked = check?.phase === "done" ? check.outcome : null;
  const imported = importJob.data;

  return (
    <div data-testid="import-page">
      <PageHead title={t("imports.title")} />
      <Card>
        <Steps
          current={step}
          size="small"
          responsive
          items={["choose", "upload", "mapping", "check", "import"].map((k) => ({ title: t(`imports.steps.${k}`) }))}
          style={{ marginBottom: 24 }}
        />
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="import-error" />}

        {step === 0 && (
          <Space direction="vertical" size="large" style={{ width: "100%" }}>
            <Descriptions column={1} bordered size="small" layout={narrow ? "vertical" : "horizontal"} styles={{ label: { width: narrow ? undefined : 120 } }}>
              <Descriptions.Item label={t("imports.kind")}>
                <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as LedgerKind)} data-testid="import-kind">
                  <Space direction="vertical">
                    {ledgerKinds.map((k) => (
                      <Radio key={k} value={k}>
                        <Typography.Text strong>{t(`imports.kinds.${k}.name`)}</Typography.Text>
                        <Typography.Text type="secondary"> — {t(`imports.kinds.${k}.hint`)}</Typography.Text>
                      </Radio>
                    ))}
                  </Space>
                </Radio.Group>
              </Descriptions.Item>
              <Descriptions.Item label={t("imports.area")}>
                <ScopeAreaSelect value={areaId} onChange={setAreaId} testId="import-area" />
              </Descriptions.Item>
            </Descriptions>
            <Space wrap style={{ justifyContent: "space-between", width: "100%" }}>
              <Space wrap>
                <Button icon={<FileExcelOutlined />} onClick={() => void downloadTemplate(kind).catch((e: unknown) => void message.error(describeError(t, e)))}>
                  {t("imports.template")}
                </Button>
                <ExportButtons kind={kind} areaId={areaId} />
              </Space>
              <Button type="primary" disabled={!areaId} onClick={() => setStep(1)} data-testid="import-next">
                {t("imports.next")}
              </Button>
            </Space>
          </Space>
        )}

        {step === 1 && (
          <Space direction="vertical" size="large" style={{ width: "100%" }}>
            <Upload.Dragger
              accept=".xlsx,.csv,.txt"
              multiple={false}
              showUploadList={false}
              disabled={busy}
              beforeUpload={(f) => {
                void onFile(f);
                return false;
              }}
              data-testid="import-upload"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t("imports.uploadText", { kind: t(`imports.kinds.${kind}.name`) })}</p>
              <p className="ant-upload-hint">{t("imports.uploadHint")}</p>
            </Upload.Dragger>
            <Button onClick={() => reset(0)}>{t("imports.back")}</Button>
          </Space>
        )}

        {step === 2 && preview && (
          <Space direction="vertical" size="middle" style={{ width: "100%" }}>
            <Typography.Text>
              {t("imports.fileSummary", { name: file?.name ?? "", rows: preview.rowCount, columns: preview.headers.filter(Boolean).length })}
            </Typography.Text>
            {missing.length > 0 && (
              <Alert type="warning" showIcon message={t("imports.missingRequired", { fields: missing.map((f) => f.label).join("、") })} data-testid="import-missing" />
            )}
            {undecided.length > 0 && <Alert type="warning" showIcon message={t("imports.undecided", { columns: undecided.join("、") })} data-testid="import-undecided" />}
            <Table
              size="small"
              rowKey="header"
              pagination={false}
              data-testid="import-mapping"
              dataSource={Object.keys(assignment).map((header) => ({ header }))}
              columns={[
                {
                  title: t("imports.mapping.column"),
                  dataIndex: "header",
                  render: (h: string) => (
                    <Space>
                      <span>{h}</span>
                      {preview.unknownHeaders.includes(h) && <Tag color="orange">{t("imports.mapping.unknown")}</Tag>}
                    </Space>
                  ),
                },
                {
                  title: t("imports.mapping.field"),
                  width: 280,
                  render: (_: unknown, r: { header: string }) => (
                    <Select
                      style={{ width: "100%" }}
                      value={assignment[r.header]}
                      placeholder={t("imports.mapping.choose")}
                      status={assignment[r.header] === undefined ? "warning" : undefined}
                      onChange={(v: string) => setAssignment({ ...assignment, [r.header]: v })}
                      data-testid={`map-${r.header}`}
                      options={[
                        { value: ignoreValue, label: t("imports.mapping.ignore") },
                        ...preview.fields.map((f) => ({
                          value: f.key,
                          label: f.required ? t("imports.mapping.requiredField", { label: f.label }) : f.label,
                          disabled: usedFields.has(f.key) && assignment[r.header] !== f.key,
                        })),
                      ]}
                    />
                  ),
                },
              ]}
            />
            <Space>
              <Button onClick={() => reset(1)}>{t("imports.reupload")}</Button>
              <Button type="primary" loading={busy} disabled={missing.length > 0 || undecided.length > 0} onClick={() => void start(true)} data-testid="import-check">
                {t("imports.check")}
              </Button>
            </Space>
            <Typography.Text type="secondary">
              {t("imports.mappingNote", { fields: [...usedFields].map((k) => fieldLabel.get(k)).join("、") })}
            </Typography.Text>
          </Space>
        )}

        {step === 3 && (
          <Space direction="vertical" size="middle" style={{ width: "100%" }}>
            {!check || (check.phase !== "done" && check.phase !== "failed") ? (
              <JobProgress job={check} />
            ) : check.phase === "failed" ? (
              <>
                <Alert type="error" showIcon message={check.error?.message} data-testid="import-failed" />
                <Button onClick={() => reset(1)}>{t("imports.reupload")}</Button>
              </>
            ) : checked?.ok ? (
              <>
                <Alert type="success" showIcon message={t("imports.checkedOk", { rows: checked.summary.total })} data-testid="import-checked" />
                <Space>
                  <Button onClick={() => reset(1)}>{t("imports.reupload")}</Button>
                  <Button type="primary" loading={busy} onClick={() => void start(false)} data-testid="import-run">
                    {t("imports.run", { rows: checked.summary.total })}
                  </Button>
                </Space>
              </>
            ) : checked ? (
              <>
                <Alert
                  type="error"
                  showIcon
                  message={t("imports.checkedBad", { bad: checked.summary.invalid, total: checked.summary.total })}
                  description={checked.summary.omittedProblems > 0 ? t("imports.omitted", { count: checked.summary.omittedProblems }) : undefined}
                  data-testid="import-rejected"
                />
                <ProblemTable problems={checked.problems} />
                <Space wrap>
                  <Button icon={<DownloadOutlined />} onClick={() => void downloadReport(check.id).catch((e: unknown) => void message.error(describeError(t, e)))} data-testid="import-report">
                    {t("imports.downloadReport")}
                  </Button>
                  <Button type="primary" onClick={() => reset(1)} data-testid="import-reupload">
                    {t("imports.reupload")}
                  </Button>
                </Space>
              </>
            ) : null}
          </Space>
        )}

        {step === 4 && (
          <Space direction="vertical" size="middle" style={{ width: "100%" }}>
            {!imported || (imported.phase !== "done" && imported.phase !== "failed") ? (
              <JobProgress job={imported} />
            ) : imported.phase === "done" && imported.outcome?.ok ? (
              <div data-testid="import-done">
                <Result
                  status="success"
                  title={t("imports.done", { rows: imported.outcome.written, kind: t(`imports.kinds.${kind}.name`) })}
                  extra={<Button type="primary" onClick={() => reset(0)} data-testid="import-again">{t("imports.again")}</Button>}
                />
              </div>
            ) : (
              <Result
                status="error"
                title={imported.error?.message ?? t("imports.checkedBad", { bad: imported.outcome?.summary.invalid ?? 0, total: imported.outcome?.summary.total ?? 0 })}
                subTitle={t("imports.nothingWritten")}
                extra={<Button onClick={() => reset(1)}>{t("imports.reupload")}</Button>}
              />
            )}
          </Space>
        )}
      </Card>
    </div>
  );
}
