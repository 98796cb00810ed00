import { useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Button, Card, Dialog, ErrorBlock, List, NavBar, Skeleton, Tag, Toast } from "antd-mobile";
import { http } from "../../api";
import { describeError } from "../../features/errors";
import { useCase, useCaseAction, type CaseAbility, type CaseDetail } from "../../features/cases/api";
import { CaseSummary } from "../../features/cases/mobile/CaseSummary";
import { CaseTimeline } from "../../features/cases/mobile/CaseTimeline";
import { StepPopup, type StepForm, type StepValues } from "../../features/cases/mobile/StepPopup";
import { shortTime } from "../../features/cases/mobile/format";
import { PointOnMap } from "../../features/places/PointOnMap";
import { navigationLinks } from "../../features/areas/datum";
import "../../features/cases/mobile/cases-mobile.css";

/** The steps a grid worker takes on a phone, in the order offered, each a key of `abilities`. */
const steps = ["receive", "start", "feedback", "verifyPass", "verifyFail", "requestExtension", "escalate", "returnToDispatcher"] as const satisfies readonly CaseAbility[];
type WorkerStep = (typeof steps)[number];
const primary: ReadonlySet<WorkerStep> = new Set(["receive", "start", "feedback", "verifyPass"]);

/**
 * 案件详情 for the grid worker: what was reported and where, the reporter's masked contact (the
 * number in clear on request, audited), the timeline, and the steps the server says are open
 * to this worker now — 签收, 开始处置, 反馈, 核查, 申请延期, 上报, 退单 — each with its form.
 */
export function WorkerCasePage() {
  const { t, i18n } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const kase = useCase(id);
  const action = useCaseAction(id ?? "");
  const [open, setOpen] = useState<WorkerStep | null>(null);

  const forms: Record<WorkerStep, StepForm> = {
    receive: { title: t("cases.worker.receive"), explain: t("cases.worker.receiveExplain"), text: { label: t("cases.step.note"), required: false }, confirm: t("cases.worker.receive") },
    start: { title: t("cases.worker.start"), explain: t("cases.worker.startExplain"), text: { label: t("cases.step.note"), required: false }, confirm: t("cases.worker.start") },
    feedback: {
      title: t("cases.worker.feedback"),
      explain: t("cases.worker.feedbackExplain"),
      text: { label: t("cases.worker.feedbackNote"), required: true, placeholder: t("cases.worker.feedbackPlaceholder") },
      photos: true,
      confirm: t("cases.worker.feedbackConfirm"),
    },
    verifyPass: { title: t("cases.worker.verifyPass"), explain: t("cases.worker.verifyPassExplain"), text: { label: t("cases.step.note"), required: false }, confirm: t("cases.worker.verifyPass") },
    verifyFail: { title: t("cases.worker.verifyFail"), explain: t("cases.worker.verifyFailExplain"), text: { label: t("cases.worker.verifyFailReason"), required: true }, confirm: t("cases.worker.verifyFail"), danger: true },
    requestExtension: { title: t("cases.worker.extension"), explain: t("cases.worker.extensionExplain"), text: { label: t("cases.step.reason"), required: true }, extension: true, confirm: t("cases.worker.extensionConfirm") },
    escalate: { title: t("cases.worker.escalate"), explain: t("cases.worker.escalateExplain"), text: { label: t("cases.step.reason"), required: true }, confirm: t("cases.worker.escalate") },
    returnToDispatcher: { title: t("cases.worker.return"), explain: t("cases.worker.returnExplain"), text: { label: t("cases.step.reason"), required: true }, confirm: t("cases.worker.return"), danger: true },
  };

  const run = async (step: WorkerStep, v: StepValues): Promise<CaseDetail> => {
    const note = v.text || null;
    switch (step) {
      case "receive":
        return action.mutateAsync({ path: "receive", body: { note } });
      case "start":
        return action.mutateAsync({ path: "start", body: { note } });
      case "feedback":
        return action.mutateAsync({ path: "feedback", body: { note: v.text, evidence: v.photoIds } });
      case "verifyPass":
        return action.mutateAsync({ path: "verify", body: { passed: true, note } });
      case "verifyFail":
        return action.mutateAsync({ path: "verify", body: { passed: false, note: v.text } });
      case "requestExtension":
        return action.mutateAsync({ path: "extensions", body: { reason: v.text, extraValue: v.extraValue, extraUnit: v.extraUnit } });
      case "escalate":
        return action.mutateAsync({ path: "escalate", body: { reason: v.text } });
      case "returnToDispatcher":
        return action.mutateAsync({ path: "return", body: { reason: v.text } });
    }
  };

  const revealContact = async (caseId: string) => {
    try {
      const r = await http.post("/api/cases/{id}/contact/reveal", { params: { path: { id: caseId } }, body: { purpose: t("cases.worker.revealPurpose") } });
      await Dialog.alert({
        title: t("cases.worker.contactTitle"),
        content: r.phone ? (
          <div style={{ textAlign: "center" }}>
            <div>{r.name ?? ""}</div>
            <a href={`tel:${r.phone}`} style={{ fontSize: 20 }}>
              {r.phone}
            </a>
            <p className="gz-mobile-muted">{t("cases.worker.contactNote")}</p>
          </div>
        ) : (
          t("cases.worker.noPhone")
        ),
        confirmText: t("cases.worker.close"),
      });
    } catch (e) {
      Toast.show({ icon: "fail", content: describeError(t, e) });
    }
  };

  const back = (
    <NavBar onBack={() => void navigate("/worker/tasks")} className="gz-case-back">
      {t("cases.worker.detailTitle")}
    </NavBar>
  );
  if (kase.isPending) return <>{back}<Skeleton.Paragraph lineCount={8} animated className="gz-mobile-section" /></>;
  if (kase.isError) return <>{back}<ErrorBlock status="default" title={describeError(t, kase.error)} description="" /></>;
  const c = kase.data;
  const offered = steps.filter((s) => c.abilities[s]);
  const pendingExtension = c.extensions.find((x) => x.status === "pending");

  return (
    <div data-testid="worker-case">
      {back}
      <CaseSummary kase={c} audience="worker">
        {c.reporter && c.source === "patrol" && !c.reporter.name && !c.reporter.hasPhone ? (
          // A worker's own patrol finding: nobody to call back.
          <p className="gz-mobile-muted">{t("cases.worker.foundOnPatrol")}</p>
        ) : c.reporter && (
          <List style={{ "--border-top": "0", "--border-bottom": "0", "--padding-left": "0" }}>
            <List.Item
              extra={
                c.abilities.revealContact ? (
                  <Button size="mini" color="primary" fill="outline" onClick={() => void revealContact(c.id)} data-testid="case-reveal-contact">
                    {t("cases.worker.call")}
                  </Button>
                ) : null
              }
              description={c.reporter.phoneMasked ?? undefined}
            >
              {t("cases.worker.reporterIs", { name: c.reporter.name ?? t("cases.worker.noName") })}
            </List.Item>
          </List>
        )}
        {pendingExtension && (
          <p className="gz-mobile-muted" data-testid="case-extension-pending">
            <Tag color="warning" fill="outline">
              {t("cases.worker.extensionPending")}
            </Tag>{" "}
            {t("cases.worker.extensionAsked", { value: pendingExtension.extraValue, unit: t(`cases.unit.${pendingExtension.extraUnit}`), time: shortTime(i18n, pendingExtension.requestedAt) })}
          </p>
        )}
      </CaseSummary>

      <CaseLocation kase={c} />

      {offered.length > 0 ? (
        <Card className="gz-mobile-section" title={t("cases.worker.actions")} data-testid="case-actions">
          <div className="gz-case-actions">
            {offered.map((s) => (
              <Button
                key={s}
                color={s === "verifyFail" || s === "returnToDispatcher" ? "danger" : "primary"}
                fill={primary.has(s) ? "solid" : "outline"}
                onClick={() => setOpen(s)}
                data-testid={`case-action-${s}`}
              >
                {forms[s].title}
              </Button>
            ))}
          </div>
        </Card>
      ) : (
        <Card className="gz-mobile-section">
          <p className="gz-mobile-muted" style={{ margin: 0 }} data-testid="case-no-actions">
            {t("cases.worker.nothingToDo")}
          </p>
        </Card>
      )}

      <Card className="gz-mobile-section" title={t("cases.timeline")}>
        <CaseTimeline events={c.timeline} />
      </Card>

      <StepPopup
        form={open ? forms[open] : null}
        onClose={() => setOpen(null)}
        onSubmit={async (v) => {
          if (!open) return;
          await run(open, v);
          Toast.show({ icon: "success", content: t("cases.worker.done", { step: forms[open].title }) });
          setOpen(null);
        }}
      />
    </div>
  );
}

/**
 * 案件位置: the case's point on a small map of its grid (compounds and buildings drawn even
 * offline) and links that open the phone's map app there. Only the coordinates and the case
 * number go into the links — never the address.
 */
function CaseLocation({ kase }: { kase: CaseDetail }) {
  const { t } = useTranslation();
  const links = navigationLinks(kase.lng, kase.lat, kase.caseNo);
  return (
    <Card className="gz-mobile-section" title={t("cases.worker.location")} data-testid="case-location">
      <PointOnMap gridId={kase.grid.id} lng={kase.lng} lat={kase.lat} buildingId={kase.buildingId} height={200} testId="worker-case-map" />
      <div className="gz-case-nav">
        <a className="adm-button adm-button-primary adm-button-fill-solid adm-button-small" href={links.geo} data-testid="case-nav-geo">
          {t("cases.worker.navigate")}
        </a>
        <a className="adm-button adm-button-default adm-button-fill-outline adm-button-small" href={links.amap} target="_blank" rel="noopener noreferrer" data-testid="case-nav-amap">
          {t("cases.worker.navAmap")}
        </a>
        <a className="adm-button adm-button-default adm-button-fill-outline adm-button-small" href={links.baidu} target="_blank" rel="noopener noreferrer" data-testid="case-nav-baidu">
          {t("cases.worker.navBaidu")}
        </a>
      </div>
      <p className="gz-mobile-muted" style={{ margin: "6px 0 0" }}>
        {t("cases.worker.navigateHint")}
      </p>
    </Card>
  );
}
