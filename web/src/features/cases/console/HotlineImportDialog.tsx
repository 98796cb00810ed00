import { useState } from "react";
import { Link } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Form, Modal, Result, Space, Table, Typography, Upload } from "antd";
import { DownloadOutlined, InboxOutlined } from "@ant-design/icons";
import { ScopeAreaSelect } from "../../areas/ScopeAreaSelect";
import { describeError } from "../../errors";
import { caseKeys } from "../api";
import { downloadHotlineTemplate, importHotlineSheet, type HotlineOutcome } from "./api";

type Phase = "choose" | "checking" | "checked" | "importing" | "done";

/**
 * 导入12345工单: pick the street or community, upload the sheet, check every row first (nothing is
 * written), read the report, then import — all rows or none.
 */
export function HotlineImportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [areaId, setAreaId] = useState<string | undefined>();
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>("choose");
  const [outcome, setOutcome] = useState<HotlineOutcome | null>(null);
  const [error, setError] = useState<unknown>(null);

  const reset = () => {
    setFile(null);
    setPhase("choose");
    setOutcome(null);
    setError(null);
  };
  const close = () => {
    reset();
    onClose();
  };

  const send = async (dryRun: boolean) => {
    if (!areaId || !file) return;
    setError(null);
    setPhase(dryRun ? "checking" : "importing");
    try {
      const result = await importHotlineSheet(areaId, file, dryRun);
      setOutcome(result);
      if (!dryRun && result.ok) {
        setPhase("done");
        void queryClient.invalidateQueries({ queryKey: caseKeys.all });
      } else setPhase("checked");
    } catch (e) {
      setError(e);
      setPhase(dryRun ? "choose" : "checked");
    }
  };

  const footer =
    phase === "done" ? (
      <Button type="primary" onClick={close}>
        {t("caseConsole.hotline.close")}
      </Button>
    ) : (
      <Space>
        <Button onClick={close}>{t("common.cancel")}</Button>
        {outcome && (
          <Button onClick={reset} data-testid="hotline-reupload">
            {t("caseConsole.hotline.reupload")}
          </Button>
        )}
        {outcome?.ok ? (
          <Button type="primary" loading={phase === "importing"} onClick={() => void send(false)} data-testid="hotline-run">
            {t("caseConsole.hotline.run", { rows: outcome.summary.total })}
          </Button>
        ) : (
          !outcome && (
            <Button type="primary" disabled={!areaId || !file} loading={phase === "checking"} onClick={() => void send(true)} data-testid="hotline-check">
              {t("caseConsole.hotline.check")}
            </Button>
          )
        )}
      </Space>
    );

  return (
    <Modal open={open} title={t("caseConsole.hotline.title")} onCancel={close} footer={footer} width={720} destroyOnHidden maskClosable={false}>
      {phase === "done" && outcome ? (
        <Result
          status="success"
          title={t("caseConsole.hotline.done", { rows: outcome.written })}
          subTitle={
            outcome.cases && outcome.cases.length > 0 ? (
              <Space wrap size={[8, 4]}>
                {outcome.cases.slice(0, 12).map((c) => (
                  <Link key={c.caseId} to={`/console/cases/${c.caseId}`} onClick={close}>
                    {c.caseNo}
                  </Link>
                ))}
                {outcome.cases.length > 12 && <span>…</span>}
              </Space>
            ) : undefined
          }
        />
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t("caseConsole.hotline.intro")}</Typography.Paragraph>
          <Form layout="vertical" requiredMark={false}>
            <Form.Item label={t("caseConsole.hotline.area")} extra={t("caseConsole.hotline.areaHint")}>
              <Space wrap>
                <ScopeAreaSelect value={areaId} onChange={setAreaId} testId="hotline-area" />
                <Button icon={<DownloadOutlined />} disabled={!areaId} onClick={() => areaId && void downloadHotlineTemplate(areaId).catch((e: unknown) => setError(e))}>
                  {t("caseConsole.hotline.template")}
                </Button>
              </Space>
            </Form.Item>
            {!outcome && (
              <Form.Item label={t("caseConsole.hotline.file")}>
                <Upload.Dragger
                  accept=".xlsx,.csv"
                  maxCount={1}
                  beforeUpload={(f) => {
                    setFile(f);
                    return false;
                  }}
                  onRemove={() => setFile(null)}
                  fileList={file ? [{ uid: "sheet", name: file.name, status: "done" }] : []}
                  data-testid="hotline-upload"
                >
                  <p className="ant-upload-drag-icon">
                    <InboxOutlined />
                  </p>
                  <p className="ant-upload-text">{t("caseConsole.hotline.uploadText")}</p>
                  <p className="ant-upload-hint">{t("caseConsole.hotline.uploadHint")}</p>
                </Upload.Dragger>
              </Form.Item>
            )}
          </Form>
          {outcome && (
            <div data-testid="hotline-report">
              {outcome.ok ? (
                <Alert type="success" showIcon message={t("caseConsole.hotline.checkedOk", { rows: outcome.summary.total, name: file?.name ?? "" })} />
              ) : (
                <Space direction="vertical" style={{ width: "100%" }}>
                  <Alert type="error" showIcon message={t("caseConsole.hotline.checkedBad", { total: outcome.summary.total, bad: outcome.summary.invalid })} />
                  <Table
                    size="small"
                    rowKey={(p) => `${p.row}-${p.column ?? p.field ?? ""}-${p.reason}`}
                    dataSource={outcome.problems}
                    pagination={outcome.problems.length > 10 ? { pageSize: 10, size: "small" } : false}
                    columns={[
                      { title: t("caseConsole.hotline.row"), dataIndex: "row", width: 70 },
                      { title: t("caseConsole.hotline.column"), key: "column", width: 120, render: (_: unknown, p) => p.column ?? p.field ?? "—" },
                      { title: t("caseConsole.hotline.reason"), dataIndex: "message" },
                    ]}
                  />
                  {outcome.summary.omittedProblems > 0 && <Typography.Text type="secondary">{t("caseConsole.hotline.omitted", { count: outcome.summary.omittedProblems })}</Typography.Text>}
                </Space>
              )}
            </div>
          )}
          {error !== null && <Alert type="error" showIcon style={{ marginTop: 12 }} message={describeError(t, error)} />}
        </>
      )}
    </Modal>
  );
}
