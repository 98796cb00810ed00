/**
 * 回执: the receipt of a case's submission — the audit entry that records it and the proof
 * (RFC 6962 inclusion path) that the entry belongs to a sealed checkpoint of the audit log. The
 * reporter can check it here (the server recomputes it and compares the checkpoint with its
 * record) and save it as a file to check later or elsewhere.
 */
import { useQuery, useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Button, DotLoading, List, Tag } from "antd-mobile";
import { http, isApiError, saveBlob, type Schema } from "../../api";

export type CaseReceiptAnswer = Schema<"PublicReceipt">;
/** The entry with its inclusion proof and the signed checkpoint (the key: GET /api/audit/public-key). */
type AuditReceipt = CaseReceiptAnswer["receipt"];

function short(hash: string): string {
  return hash.length > 20 ? `${hash.slice(0, 10)}…${hash.slice(-8)}` : hash;
}

export function useCaseReceipt(caseId: string) {
  return useQuery({
    queryKey: ["cases", caseId, "receipt"],
    queryFn: ({ signal }) => http.get("/api/cases/{id}/receipt", { params: { path: { id: caseId } }, signal }),
    // The sealer runs every second or so: ask again until the entry is sealed.
    retry: (count, error) => isApiError(error) && error.code === "audit_not_sealed" && count < 10,
    retryDelay: 1500,
  });
}

/** The receipt of a case with a button to verify it and one to save it. */
export function Receipt({ caseId }: { caseId: string }) {
  const { t, i18n } = useTranslation();
  const receipt = useCaseReceipt(caseId);
  const verify = useMutation({
    mutationFn: (r: AuditReceipt) => http.post("/api/audit/receipts/verify", { body: { receipt: r } }),
  });

  if (receipt.isPending) {
    return (
      <div className="gz-receipt" data-testid="case-receipt">
        <DotLoading /> {t("receipt.loading")}
      </div>
    );
  }
  if (receipt.isError) {
    const sealing = isApiError(receipt.error) && receipt.error.code === "audit_not_sealed";
    return (
      <div className="gz-receipt" data-testid="case-receipt">
        <p>{sealing ? t("receipt.sealing") : receipt.error.message}</p>
        <Button size="small" onClick={() => void receipt.refetch()}>
          {t("receipt.retry")}
        </Button>
      </div>
    );
  }

  const { receipt: r, caseNo } = receipt.data;
  const recordedAt = new Date(Number(r.entry.occurredAtMicros) / 1000).toLocaleString(i18n.language === "en" ? "en-GB" : "zh-CN", { timeZone: "Asia/Shanghai" });
  const result = verify.data;
  return (
    <div className="gz-receipt" data-testid="case-receipt">
      <p style={{ margin: "0 0 8px", color: "#666", fontSize: 13 }}>{t("receipt.explain")}</p>
      <List>
        <List.Item extra={caseNo}>{t("receipt.caseNo")}</List.Item>
        <List.Item extra={recordedAt}>{t("receipt.recordedAt")}</List.Item>
        <List.Item extra={`#${r.entry.seq}`}>{t("receipt.entry")}</List.Item>
        <List.Item extra={`#${r.checkpoint.id}`}>{t("receipt.checkpoint")}</List.Item>
        <List.Item extra={<code>{short(r.checkpoint.merkleRoot)}</code>}>{t("receipt.root")}</List.Item>
      </List>
      <div style={{ display: "flex", gap: 8, marginTop: 12 }}>
        <Button color="primary" size="small" loading={verify.isPending} onClick={() => verify.mutate(r)} data-testid="receipt-verify">
          {t("receipt.verify")}
        </Button>
        <Button
          size="small"
          onClick={() => saveBlob(new Blob([JSON.stringify(r, null, 2)], { type: "application/json" }), `回执-${caseNo}.json`)}
          data-testid="receipt-save"
        >
          {t("receipt.save")}
        </Button>
      </div>
      {verify.isError && <p style={{ color: "#c0392b" }}>{verify.error.message}</p>}
      {result && (
        <p data-testid="receipt-result" style={{ marginTop: 12 }}>
          {result.valid && result.checkpointOnRecord ? (
            <Tag color="success">{t("receipt.valid")}</Tag>
          ) : result.valid ? (
            <Tag color="warning">{t("receipt.notOnRecord")}</Tag>
          ) : (
            <Tag color="danger">{t("receipt.invalid")}</Tag>
          )}{" "}
          <span style={{ fontSize: 13, color: "#666" }}>
            {result.valid && result.checkpointOnRecord ? t("receipt.validNote") : result.valid ? t("receipt.notOnRecordNote") : t("receipt.invalidNote")}
          </span>
        </p>
      )}
    </div>
  );
}
