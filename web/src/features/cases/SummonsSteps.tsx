/**
 * The steps of one summons, as the server allows them (`abilities`): 报到 / 办结 for the summoned
 * department; 评分, 撤回, 免予报到, 代为登记 for the summoning street or community. Used by the
 * summons queue page and the case page's 吹哨报到 card.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, App, Button, Form, Input, Modal, Rate, Space, Typography, type UploadFile } from "antd";
import { describeError } from "../errors";
import { chinaTime } from "../platform/time";
import { CasePhotoUpload, photosUploading, uploadedPhotoIds } from "./console/CasePhotoUpload";
import { useEndSummons, useFinishSummons, useRecordOnBehalf, useReportIn, useScoreSummons, type SummonsItem } from "./summons";

export type SummonsStep = "reportIn" | "finish" | "score" | "withdraw" | "excuse" | "recordOnBehalf";

/** 报到 / 办结 / 评分, and for the summoning side 撤回 / 免予报到 / 代为登记, as the server allows them for this summons. */
export function SummonsActions({ item, onStep }: { item: SummonsItem; onStep: (step: SummonsStep) => void }) {
  const { t } = useTranslation();
  const onReportIn = () => onStep("reportIn");
  const onFinish = () => onStep("finish");
  const onScore = () => onStep("score");
  return (
    <Space size={4} wrap>
      {item.abilities.reportIn && (
        <Button size="small" type="primary" onClick={onReportIn} data-testid="summons-report-in">
          {t("summons.reportIn.ok")}
        </Button>
      )}
      {item.abilities.finish && (
        <Button size="small" type="primary" onClick={onFinish} data-testid="summons-finish">
          {t("summons.finish.ok")}
        </Button>
      )}
      {item.abilities.score && (
        <Button size="small" onClick={onScore} data-testid="summons-score">
          {t("summons.score.ok")}
        </Button>
      )}
      {item.abilities.recordOnBehalf && (
        <Button size="small" onClick={() => onStep("recordOnBehalf")} data-testid="summons-on-behalf-open">
          {t("summons.onBehalf.ok")}
        </Button>
      )}
      {item.abilities.excuse && (
        <Button size="small" onClick={() => onStep("excuse")} data-testid="summons-excuse">
          {t("summons.excuse.ok")}
        </Button>
      )}
      {item.abilities.withdraw && (
        <Button size="small" danger type="text" onClick={() => onStep("withdraw")} data-testid="summons-withdraw">
          {t("summons.withdraw.ok")}
        </Button>
      )}
    </Space>
  );
}

function ReportInModal({ item, onClose }: { item: SummonsItem | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [note, setNote] = useState("");
  const reportIn = useReportIn();
  useEffect(() => {
    setNote("");
    reportIn.reset();
    // Once per opened summons.
  }, [item]);
  if (!item) return null;
  return (
    <Modal
      open
      title={t("summons.reportIn.title", { caseNo: item.case.caseNo })}
      okText={t("summons.reportIn.ok")}
      onCancel={onClose}
      confirmLoading={reportIn.isPending}
      onOk={() =>
        reportIn.mutate(
          { id: item.id, note: note.trim() || null },
          {
            onSuccess: (r) => {
              void message.success(r.reportedInOnTime ? t("summons.reportIn.doneOnTime") : t("summons.reportIn.doneLate"));
              onClose();
            },
          },
        )
      }
      data-testid="report-in-dialog"
    >
      <Typography.Paragraph type="secondary">{t("summons.reportIn.hint", { due: chinaTime(item.reportInDueAt, i18n.language) })}</Typography.Paragraph>
      <Input.TextArea rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t("summons.reportIn.placeholder")} data-testid="report-in-note" />
      {reportIn.isError && <Alert type="error" showIcon style={{ marginTop: 12 }} message={describeError(t, reportIn.error)} />}
    </Modal>
  );
}

/** 办结 by the department, or 代为登记 by the summoning side (`onBehalf`): a note and photos. */
function FinishModal({ item, onBehalf = false, onClose }: { item: SummonsItem | null; onBehalf?: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [note, setNote] = useState("");
  const [files, setFiles] = useState<UploadFile[]>([]);
  const own = useFinishSummons();
  const forIt = useRecordOnBehalf();
  const finish = onBehalf ? forIt : own;
  useEffect(() => {
    setNote("");
    setFiles([]);
    finish.reset();
    // Once per opened summons.
  }, [item]);
  if (!item) return null;
  const uploading = photosUploading(files);
  const evidence = uploadedPhotoIds(files);
  return (
    <Modal
      open
      title={onBehalf ? t("summons.onBehalf.title", { caseNo: item.case.caseNo, department: item.departmentName }) : t("summons.finish.title", { caseNo: item.case.caseNo })}
      okText={onBehalf ? t("summons.onBehalf.ok") : t("summons.finish.ok")}
      okButtonProps={{ disabled: !note.trim() || uploading }}
      onCancel={onClose}
      confirmLoading={finish.isPending}
      onOk={() =>
        finish.mutate(
          { id: item.id, note: note.trim(), evidence },
          {
            onSuccess: () => {
              void message.success(onBehalf ? t("summons.onBehalf.done") : t("summons.finish.done"));
              onClose();
            },
          },
        )
      }
      data-testid={onBehalf ? "on-behalf-dialog" : "finish-dialog"}
    >
      <Typography.Paragraph type="secondary">{onBehalf ? t("summons.onBehalf.hint") : t("summons.finish.hint")}</Typography.Paragraph>
      <Form layout="vertical" requiredMark={false}>
        <Form.Item label={t("summons.finish.note")} required>
          <Input.TextArea rows={3} maxLength={1000} showCount value={note} onChange={(e) => setNote(e.target.value)} placeholder={t("summons.finish.placeholder")} data-testid="finish-note" />
        </Form.Item>
        <Form.Item label={t("summons.finish.photos")} extra={t("summons.finish.photosHint")}>
          <CasePhotoUpload files={files} onChange={setFiles} addLabel={t("summons.finish.addPhoto")} />
        </Form.Item>
      </Form>
      {finish.isError && <Alert type="error" showIcon message={describeError(t, finish.error)} />}
    </Modal>
  );
}

/** 撤回 / 免予报到: the summoning side ends a waiting summons with a reason. */
function EndModal({ item, as, onClose }: { item: SummonsItem | null; as: "withdraw" | "excuse"; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [reason, setReason] = useState("");
  const end = useEndSummons();
  useEffect(() => {
    setReason("");
    end.reset();
    // Once per opened summons.
  }, [item]);
  if (!item) return null;
  return (
    <Modal
      open
      title={t(`summons.${as}.title`, { department: item.departmentName })}
      okText={t(`summons.${as}.ok`)}
      okButtonProps={{ disabled: !reason.trim(), danger: as === "withdraw" }}
      onCancel={onClose}
      confirmLoading={end.isPending}
      onOk={() =>
        end.mutate(
          { id: item.id, as, reason: reason.trim() },
          {
            onSuccess: () => {
              void message.success(t(`summons.${as}.done`));
              onClose();
            },
          },
        )
      }
      data-testid={`${as}-dialog`}
    >
      <Typography.Paragraph type="secondary">{t(`summons.${as}.hint`)}</Typography.Paragraph>
      <Form layout="vertical" requiredMark={false}>
        <Form.Item label={t(`summons.${as}.reason`)} required>
          <Input.TextArea rows={3} maxLength={500} showCount value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t(`summons.${as}.placeholder`)} data-testid="summons-end-reason-input" />
        </Form.Item>
      </Form>
      {end.isError && <Alert type="error" showIcon message={describeError(t, end.error)} />}
    </Modal>
  );
}

function ScoreModal({ item, onClose }: { item: SummonsItem | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [score, setScore] = useState(0);
  const [note, setNote] = useState("");
  const rate = useScoreSummons();
  useEffect(() => {
    setScore(0);
    setNote("");
    rate.reset();
    // Once per opened summons.
  }, [item]);
  if (!item) return null;
  return (
    <Modal
      open
      title={t("summons.score.title", { department: item.departmentName })}
      okText={t("summons.score.ok")}
      okButtonProps={{ disabled: score < 1 }}
      onCancel={onClose}
      confirmLoading={rate.isPending}
      onOk={() =>
        rate.mutate(
          { id: item.id, score, note: note.trim() || null },
          {
            onSuccess: () => {
              void message.success(t("summons.score.done"));
              onClose();
            },
          },
        )
      }
      data-testid="score-dialog"
    >
      {item.finishNote && (
        <Typography.Paragraph>
          <Typography.Text type="secondary">{t("summons.fields.finishNote")}：</Typography.Text>
          {item.finishNote}
        </Typography.Paragraph>
      )}
      <Space direction="vertical" size={12} style={{ width: "100%" }}>
        <Space align="center">
          <Rate value={score} onChange={setScore} data-testid="score-rate" />
          <Typography.Text type="secondary">{score > 0 ? t(`summons.score.levels.${score}`) : t("summons.score.pick")}</Typography.Text>
        </Space>
        <Input.TextArea rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t("summons.score.placeholder")} />
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
        {t("summons.score.once")}
      </Typography.Paragraph>
      {rate.isError && <Alert type="error" showIcon style={{ marginTop: 12 }} message={describeError(t, rate.error)} />}
    </Modal>
  );
}

/** The dialog of the step chosen with `SummonsActions` (none when `open` is null). */
export function SummonsStepDialogs({ open, onClose }: { open: { step: SummonsStep; item: SummonsItem } | null; onClose: () => void }) {
  const itemFor = (step: SummonsStep) => (open?.step === step ? open.item : null);
  return (
    <>
      <ReportInModal item={itemFor("reportIn")} onClose={onClose} />
      <FinishModal item={itemFor("finish")} onClose={onClose} />
      <FinishModal item={itemFor("recordOnBehalf")} onBehalf onClose={onClose} />
      <EndModal item={itemFor("withdraw")} as="withdraw" onClose={onClose} />
      <EndModal item={itemFor("excuse")} as="excuse" onClose={onClose} />
      <ScoreModal item={itemFor("score")} onClose={onClose} />
    </>
  );
}
