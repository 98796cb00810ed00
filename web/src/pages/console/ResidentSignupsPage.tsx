import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, App, Button, Card, Descriptions, Drawer, Empty, Input, Modal, Segmented, Space, Table, Tag, Typography } from "antd";
import { describeError } from "../../features/errors";
import { chinaTime } from "../../features/platform/time";
import {
  useLinkSignup,
  useRejectSignup,
  useRevealSignupPhone,
  useSignupCandidates,
  useSignups,
  type Signup,
  type SignupCandidate,
  type SignupStatus,
} from "../../features/accounts/api";
import { PageHead } from "./PageHead";

const statusColour: Record<SignupStatus, string> = { pending: "gold", linked: "green", rejected: "default" };

/** The clear mobile for a stated purpose (audited), shown in place of the masked one. */
function PhoneReveal({ signup }: { signup: Signup }) {
  const { t } = useTranslation();
  const reveal = useRevealSignupPhone();
  const { message } = App.useApp();
  if (reveal.data) return <Typography.Text copyable>{reveal.data.value}</Typography.Text>;
  return (
    <Space size={8}>
      <span className="gz-masked-number">{signup.phone}</span>
      {signup.abilities.revealPhone && (
        <Typography.Link
          onClick={() =>
            reveal.mutate({ id: signup.id, purpose: t("accounts.review.revealPurpose") }, { onError: (e) => void message.error(describeError(t, e)) })
          }
          data-testid="signup-reveal-phone"
        >
          {t("accounts.review.revealPhone")}
        </Typography.Link>
      )}
    </Space>
  );
}

/** 核实: the sign-up beside the registry persons it may be; link one, or reject with a reason. */
function ReviewDrawer({ signup, onClose }: { signup: Signup | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const candidates = useSignupCandidates(signup?.id);
  const link = useLinkSignup();
  const reject = useRejectSignup();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  if (!signup) return null;
  const close = () => {
    setRejecting(false);
    setReason("");
    onClose();
  };
  const doLink = (c: SignupCandidate) =>
    link.mutate(
      { id: signup.id, personId: c.personId },
      {
        onSuccess: () => {
          void message.success(t("accounts.review.linked", { name: c.name }));
          close();
        },
        onError: (e) => void message.error(describeError(t, e)),
      },
    );
  return (
    <Drawer open width={760} title={t("accounts.review.title", { name: signup.name })} onClose={close} data-testid="signup-review">
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label={t("accounts.fields.name")}>{signup.name}</Descriptions.Item>
        <Descriptions.Item label={t("accounts.fields.phone")}>
          <Space size={8}>
            <PhoneReveal signup={signup} />
            {signup.phoneVerified ? <Tag color="green">{t("accounts.review.phoneVerified")}</Tag> : <Tag>{t("accounts.review.phoneUnverified")}</Tag>}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t("accounts.fields.address")} span={2}>
          {signup.address}
        </Descriptions.Item>
        <Descriptions.Item label={t("area.level.community")}>{signup.communityName}</Descriptions.Item>
        <Descriptions.Item label={t("accounts.fields.createdAt")}>{chinaTime(signup.createdAt, i18n.language)}</Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t("accounts.review.candidates")}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t("accounts.review.candidatesHint")}</Typography.Paragraph>
      {candidates.isError ? (
        <Alert type="error" showIcon message={describeError(t, candidates.error)} />
      ) : (
        <Table<SignupCandidate>
          rowKey="personId"
          size="small"
          loading={candidates.isPending}
          pagination={false}
          dataSource={candidates.data?.candidates ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("accounts.review.noCandidates")} /> }}
          columns={[
            { title: t("accounts.fields.name"), dataIndex: "name", width: 90 },
            { title: t("accounts.review.relation"), dataIndex: "relation", width: 70 },
            { title: t("accounts.review.birthYear"), dataIndex: "birthYear", width: 70 },
            { title: t("accounts.fields.place"), dataIndex: "address" },
            { title: t("accounts.fields.phone"), dataIndex: "phone", width: 110, render: (v: string | null) => <span className="gz-masked-number">{v ?? "—"}</span> },
            {
              title: t("accounts.review.matchedBy"),
              key: "matchedBy",
              width: 120,
              render: (_: unknown, c) => (
                <Space size={4} wrap>
                  {c.matchedBy.map((m) => (
                    <Tag key={m} color={m === "name" ? "blue" : "purple"} bordered={false}>
                      {t(`accounts.review.match.${m}`)}
                    </Tag>
                  ))}
                </Space>
              ),
            },
            {
              title: "",
              key: "link",
              width: 110,
              render: (_: unknown, c) =>
                c.linked ? (
                  <Tag>{t("accounts.review.alreadyLinked")}</Tag>
                ) : (
                  <Button size="small" type="primary" loading={link.isPending} onClick={() => doLink(c)} data-testid="signup-link-person">
                    {t("accounts.review.link")}
                  </Button>
                ),
            },
          ]}
        />
      )}
      <div style={{ marginTop: 24 }}>
        <Button danger onClick={() => setRejecting(true)} data-testid="signup-reject-open">
          {t("accounts.review.reject")}
        </Button>
      </div>
      <Modal
        open={rejecting}
        title={t("accounts.review.rejectTitle", { name: signup.name })}
        okText={t("accounts.review.reject")}
        okButtonProps={{ danger: true, disabled: reason.trim().length < 2 }}
        confirmLoading={reject.isPending}
        onCancel={() => setRejecting(false)}
        onOk={() =>
          reject.mutate(
            { id: signup.id, reason: reason.trim() },
            {
              onSuccess: () => {
                void message.success(t("accounts.review.rejected"));
                close();
              },
              onError: (e) => void message.error(describeError(t, e)),
            },
          )
        }
      >
        <Typography.Paragraph type="secondary">{t("accounts.review.rejectHint")}</Typography.Paragraph>
        <Input.TextArea value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} rows={3} placeholder={t("accounts.review.rejectPlaceholder")} data-testid="signup-reject-reason" />
      </Modal>
    </Drawer>
  );
}

type StatusFilter = SignupStatus | "all";

/** 居民账号核实: residents' sign-ups in the worker's communities, checked against the registry. */
export function ResidentSignupsPage() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<StatusFilter>("pending");
  const [page, setPage] = useState(1);
  const list = useSignups(status === "all" ? undefined : status, page);
  const [reviewing, setReviewing] = useState<Signup | null>(null);
  return (
    <div data-testid="resident-signups-page">
      <PageHead title={t("accounts.review.pageTitle")} />
      <Card
        size="small"
        title={t("accounts.review.queue")}
        extra={
          <Segmented<StatusFilter>
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
            options={[
              { value: "pending", label: t("accounts.status.pending") },
              { value: "linked", label: t("accounts.status.linked") },
              { value: "rejected", label: t("accounts.status.rejected") },
              { value: "all", label: t("accounts.status.all") },
            ]}
          />
        }
      >
        {list.isError ? (
          <Alert type="error" showIcon message={describeError(t, list.error)} />
        ) : (
          <Table<Signup>
            rowKey="id"
            size="small"
            loading={list.isPending}
            dataSource={list.data?.items ?? []}
            scroll={{ x: 960 }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("accounts.review.empty")} /> }}
            pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
            columns={[
              { title: t("accounts.fields.name"), dataIndex: "name", width: 100 },
              { title: t("accounts.fields.phone"), dataIndex: "phone", width: 120, render: (v: string) => <span className="gz-masked-number">{v}</span> },
              { title: t("accounts.fields.address"), dataIndex: "address" },
              { title: t("area.level.community"), dataIndex: "communityName", width: 120 },
              { title: t("accounts.fields.via"), key: "via", width: 100, render: (_: unknown, r) => t(`accounts.via.${r.via}`) },
              { title: t("accounts.fields.createdAt"), dataIndex: "createdAt", width: 150, render: (v: string) => chinaTime(v, i18n.language) },
              {
                title: t("accounts.fields.status"),
                key: "status",
                width: 160,
                render: (_: unknown, r) => (
                  <Space direction="vertical" size={0}>
                    <Tag color={statusColour[r.status]}>{t(`accounts.status.${r.status}`)}</Tag>
                    {r.rejectReason && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.rejectReason}</Typography.Text>}
                  </Space>
                ),
              },
              {
                title: "",
                key: "actions",
                width: 100,
                render: (_: unknown, r) =>
                  r.abilities.decide ? (
                    <Button size="small" type="primary" onClick={() => setReviewing(r)} data-testid="signup-review-open">
                      {t("accounts.review.open")}
                    </Button>
                  ) : null,
              },
            ]}
          />
        )}
      </Card>
      <ReviewDrawer signup={reviewing} onClose={() => setReviewing(null)} />
    </div>
  );
}
