import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, App, Button, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Space, Switch, Typography, type FormInstance } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { isApiError } from "../../api";
import { describeError } from "../errors";
import { useArea } from "../areas/api";
import { useSearchPersonByIdNumber } from "../people/api";
import {
  useAddCommitteeSeat,
  useAddPost,
  useCreateOrganization,
  useOrgKindRules,
  type CreateOrganizationInput,
  type OrganizationItem,
} from "./api";

const idNumberPattern = /^\d{17}[\dXx]$/;
export const isoDate = (d: Dayjs | null | undefined) => (d ? d.format("YYYY-MM-DD") : null);

/** Puts a server error on the field it names, or returns it to be shown above the form. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function useFieldErrors(form: FormInstance<any>) {
  const { t } = useTranslation();
  const [general, setGeneral] = useState<string | null>(null);
  return {
    general,
    clear: () => setGeneral(null),
    show: (e: unknown, fields: string[]) => {
      if (isApiError(e) && e.field && fields.includes(e.field)) {
        form.setFields([{ name: e.field, errors: [e.message] }]);
        setGeneral(null);
      } else setGeneral(describeError(t, e));
    },
  };
}

/**
 * 选择人员: a person found by exact ID number (sent in a POST body, never in the URL). Shows the
 * name the server returns (clear for the roles that work with people).
 */
export function PersonIdPicker({ value, onChange }: { value?: string; onChange?: (personId: string | undefined) => void }) {
  const { t } = useTranslation();
  const [idNumber, setIdNumber] = useState("");
  const search = useSearchPersonByIdNumber();
  const found = search.data && search.data.id === value ? search.data : undefined;
  const run = () => {
    const v = idNumber.trim().toUpperCase();
    if (!idNumberPattern.test(v)) return;
    search.mutate(v, { onSuccess: (p) => onChange?.(p.id), onError: () => onChange?.(undefined) });
  };
  return (
    <Space direction="vertical" style={{ width: "100%" }} size={4}>
      <Space.Compact style={{ width: "100%" }}>
        <Input
          value={idNumber}
          onChange={(e) => setIdNumber(e.target.value)}
          maxLength={18}
          autoComplete="off"
          spellCheck={false}
          className="gz-masked-number"
          placeholder={t("person.search.placeholder")}
          onPressEnter={(e) => {
            e.preventDefault();
            run();
          }}
          status={idNumber && !idNumberPattern.test(idNumber.trim()) ? "warning" : undefined}
          data-testid="person-picker-input"
        />
        <Button onClick={run} loading={search.isPending} disabled={!idNumberPattern.test(idNumber.trim())}>
          {t("person.search.submit")}
        </Button>
      </Space.Compact>
      {found && (
        <Typography.Text type="success" data-testid="person-picker-found">
          {t("orgs.picker.found", { name: found.name, grid: found.gridName ?? t("common.none"), year: found.birthYear })}
        </Typography.Text>
      )}
      {search.isError && (
        <Typography.Text type="warning">
          {isApiError(search.error) && search.error.code === "not_found" ? t("person.search.notFound") : describeError(t, search.error)}
        </Typography.Text>
      )}
    </Space>
  );
}

interface CreateValues {
  kind: string;
  name: string;
  /** An organization id, or "none" for a body standing directly at its area. */
  parentId: string;
  areaId: string;
  incubation?: "incubating" | "graduated";
}

/**
 * 新建组织: the kind first, then where it stands — the parents and areas offered follow the rule
 * the server enforces (a grid branch under a community committee, in one of its grids …).
 */
export function CreateOrgModal({
  open,
  onClose,
  orgs,
  baseAreaId,
  presetParent,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  /** The organizations of the area on screen (candidate parents). */
  orgs: readonly OrganizationItem[];
  /** The area on screen: a body without a parent stands here or in one of its children. */
  baseAreaId: string | undefined;
  presetParent?: OrganizationItem | undefined;
  onCreated?: (id: string) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<CreateValues>();
  const create = useCreateOrganization();
  const errors = useFieldErrors(form);
  const kind = Form.useWatch("kind", form);
  const parentId = Form.useWatch("parentId", form);
  const kindRules = useOrgKindRules().data?.items;
  const rule = kind ? kindRules?.find((r) => r.kind === kind) : undefined;
  const parents = useMemo(
    () => (rule ? orgs.filter((o) => rule.parents.includes(o.kind)) : []),
    [orgs, rule],
  );
  const parent = parentId && parentId !== "none" ? orgs.find((o) => o.id === parentId) : undefined;
  const anchorId = parent?.areaId ?? baseAreaId;
  const anchor = useArea(anchorId ?? undefined);
  const areaOptions = useMemo(() => {
    if (!rule || !anchor.data) return [];
    const list = [anchor.data.area, ...anchor.data.children];
    return list.filter((a) => rule.levels.includes(a.level)).map((a) => ({ value: a.id, label: `${a.name}（${t(`area.level.${a.level}`)}）` }));
  }, [rule, anchor.data, t]);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    errors.clear();
    if (presetParent) form.setFieldsValue({ parentId: presetParent.id });
  }, [open, presetParent]);

  // Keep the area valid when the kind or parent changes: the only option is chosen for the person.
  useEffect(() => {
    const current = form.getFieldValue("areaId") as string | undefined;
    if (current && areaOptions.some((o) => o.value === current)) return;
    form.setFieldValue("areaId", areaOptions.length === 1 ? areaOptions[0]!.value : undefined);
  }, [areaOptions, form]);

  const kinds = (kindRules ?? []).filter((r) => !presetParent || r.parents.includes(presetParent.kind)).map((r) => r.kind);

  const submit = (v: CreateValues) => {
    create.mutate(
      // The kinds offered are the server's (useOrgKindRules).
      { kind: v.kind as CreateOrganizationInput["kind"], name: v.name.trim(), parentId: v.parentId === "none" ? null : v.parentId, areaId: v.areaId, ...(v.kind === "socialOrg" ? { incubation: v.incubation ?? "incubating" } : {}) },
      {
        onSuccess: (r) => {
          void message.success(t("orgs.create.done", { name: v.name.trim() }));
          onClose();
          onCreated?.(r.id);
        },
        onError: (e) => errors.show(e, ["kind", "name", "parentId", "areaId", "incubation"]),
      },
    );
  };

  return (
    <Modal
      open={open}
      title={presetParent ? t("orgs.create.titleUnder", { name: presetParent.name }) : t("orgs.create.title")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("orgs.create.submit")}
      confirmLoading={create.isPending}
      destroyOnHidden
      data-testid="org-create-dialog"
    >
      {errors.general && <Alert type="error" showIcon message={errors.general} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} initialValues={{ incubation: "incubating" }}>
        <Form.Item name="kind" label={t("orgs.fields.kind")} rules={[{ required: true, message: t("orgs.create.kindRequired") }]}>
          <Select
            data-testid="org-create-kind"
            options={kinds.map((k) => ({ value: k, label: t(`org.kind.${k}`) }))}
            onChange={() => form.setFieldValue("parentId", presetParent?.id)}
          />
        </Form.Item>
        {rule && (
          <Form.Item name="parentId" label={t("orgs.fields.parent")} rules={[{ required: true, message: t("orgs.create.parentRequired") }]} extra={parents.length === 0 && !rule.parents.includes(null) ? t("orgs.create.noParent") : undefined}>
            <Select
              data-testid="org-create-parent"
              disabled={Boolean(presetParent)}
              showSearch
              optionFilterProp="label"
              options={[
                ...(rule.parents.includes(null) ? [{ value: "none", label: t("orgs.create.atCommunity") }] : []),
                ...parents.map((o) => ({ value: o.id, label: o.name })),
              ]}
            />
          </Form.Item>
        )}
        {rule && (
          <Form.Item name="areaId" label={t("orgs.fields.area")} rules={[{ required: true, message: t("orgs.create.areaRequired") }]}>
            <Select data-testid="org-create-area" showSearch optionFilterProp="label" options={areaOptions} notFoundContent={t("orgs.create.noArea")} />
          </Form.Item>
        )}
        <Form.Item name="name" label={t("orgs.fields.name")} rules={[{ required: true, whitespace: true, message: t("orgs.create.nameRequired") }]}>
          <Input maxLength={100} data-testid="org-create-name" placeholder={kind ? t("orgs.create.namePlaceholder", { kind: t(`org.kind.${kind}`) }) : undefined} />
        </Form.Item>
        {kind === "socialOrg" && (
          <Form.Item name="incubation" label={t("orgs.fields.incubation")}>
            <Radio.Group
              optionType="button"
              options={[
                { value: "incubating", label: t("orgs.incubation.incubating") },
                { value: "graduated", label: t("orgs.incubation.graduated") },
              ]}
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** 新增职务: a person (by ID number), the title, part-time or not, and the start date. */
export function AddPostModal({ open, onClose, orgId, orgName }: { open: boolean; onClose: () => void; orgId: string; orgName: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ personId: string; title: string; partTime: boolean; startedOn: Dayjs | null }>();
  const add = useAddPost(orgId);
  const errors = useFieldErrors(form);
  useEffect(() => {
    if (open) {
      form.resetFields();
      errors.clear();
    }
  }, [open]);
  return (
    <Modal
      open={open}
      title={t("orgs.posts.addTitle", { name: orgName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("common.save")}
      confirmLoading={add.isPending}
      destroyOnHidden
      data-testid="post-add-dialog"
    >
      {errors.general && <Alert type="error" showIcon message={errors.general} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ partTime: false, startedOn: dayjs() }}
        onFinish={(v) =>
          add.mutate(
            { personId: v.personId, title: v.title.trim(), partTime: v.partTime, startedOn: isoDate(v.startedOn) },
            {
              onSuccess: () => {
                void message.success(t("orgs.posts.added"));
                onClose();
              },
              onError: (e) => errors.show(e, ["personId", "title", "startedOn"]),
            },
          )
        }
      >
        <Form.Item name="personId" label={t("orgs.posts.person")} rules={[{ required: true, message: t("orgs.posts.personRequired") }]} extra={t("orgs.posts.personHint")}>
          <PersonIdPicker />
        </Form.Item>
        <Form.Item name="title" label={t("orgs.posts.title")} rules={[{ required: true, whitespace: true, message: t("orgs.posts.titleRequired") }]}>
          <Input maxLength={60} placeholder={t("orgs.posts.titlePlaceholder")} data-testid="post-title" />
        </Form.Item>
        <Space size={24} wrap>
          <Form.Item name="partTime" label={t("orgs.posts.partTime")} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="startedOn" label={t("orgs.posts.startedOn")}>
            <DatePicker disabledDate={(d) => d.isAfter(dayjs(), "day")} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

/** A date asked for one action (end a post, dissolve a body), never later than today. */
export function DateModal({
  open,
  title,
  note,
  okText,
  danger,
  pending,
  error,
  onClose,
  onSubmit,
  testId,
}: {
  open: boolean;
  title: string;
  note?: string;
  okText: string;
  danger?: boolean;
  pending: boolean;
  error: unknown;
  onClose: () => void;
  onSubmit: (date: string) => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [date, setDate] = useState<Dayjs | null>(dayjs());
  useEffect(() => {
    if (open) setDate(dayjs());
  }, [open]);
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      okText={okText}
      okButtonProps={{ danger: Boolean(danger), disabled: !date, ...(testId ? { "data-testid": `${testId}-ok` } : {}) }}
      confirmLoading={pending}
      onOk={() => date && onSubmit(date.format("YYYY-MM-DD"))}
      destroyOnHidden
      data-testid={testId}
    >
      {note && <Typography.Paragraph type="secondary">{note}</Typography.Paragraph>}
      <DatePicker value={date} onChange={setDate} disabledDate={(d) => d.isAfter(dayjs(), "day")} allowClear={false} />
      {Boolean(error) && <Alert type="error" showIcon message={describeError(t, error)} style={{ marginTop: 12 }} />}
    </Modal>
  );
}

interface SeatValues {
  coBuildingUnitId: string;
  mode: "new" | "existing";
  personId?: string;
  name?: string;
  gender?: "male" | "female";
  birthYear?: number;
  title: string;
  unitTitle: string;
  startedOn: Dayjs | null;
}

/** 大党委兼职委员: a member of a co-building unit seated part-time in the community party committee. */
export function CommitteeSeatModal({
  open,
  onClose,
  committeeId,
  units,
}: {
  open: boolean;
  onClose: () => void;
  committeeId: string;
  units: readonly { id: string; name: string }[];
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<SeatValues>();
  const seat = useAddCommitteeSeat(committeeId);
  const errors = useFieldErrors(form);
  const mode = Form.useWatch("mode", form);
  useEffect(() => {
    if (open) {
      form.resetFields();
      errors.clear();
    }
  }, [open]);
  const submit = (v: SeatValues) =>
    seat.mutate(
      {
        coBuildingUnitId: v.coBuildingUnitId,
        person: v.mode === "existing" ? { personId: v.personId! } : { name: v.name!.trim(), gender: v.gender!, birthYear: v.birthYear! },
        title: v.title.trim(),
        unitTitle: v.unitTitle.trim(),
        startedOn: isoDate(v.startedOn),
      },
      {
        onSuccess: () => {
          void message.success(t("orgs.seat.done"));
          onClose();
        },
        onError: (e) => errors.show(e, ["coBuildingUnitId", "personId", "name", "birthYear", "title", "unitTitle"]),
      },
    );
  return (
    <Modal
      open={open}
      title={t("orgs.seat.title")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("common.save")}
      confirmLoading={seat.isPending}
      destroyOnHidden
      data-testid="seat-dialog"
    >
      <Typography.Paragraph type="secondary">{t("orgs.seat.hint")}</Typography.Paragraph>
      {errors.general && <Alert type="error" showIcon message={errors.general} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" requiredMark={false} onFinish={submit} initialValues={{ mode: "new", gender: "male", title: "兼职委员", startedOn: dayjs() }}>
        <Form.Item name="coBuildingUnitId" label={t("orgs.seat.unit")} rules={[{ required: true, message: t("orgs.seat.unitRequired") }]} extra={units.length === 0 ? t("orgs.seat.noUnits") : undefined}>
          <Select options={units.map((u) => ({ value: u.id, label: u.name }))} />
        </Form.Item>
        <Form.Item name="mode" label={t("orgs.seat.who")}>
          <Radio.Group
            optionType="button"
            options={[
              { value: "new", label: t("orgs.seat.newPerson") },
              { value: "existing", label: t("orgs.seat.existingPerson") },
            ]}
          />
        </Form.Item>
        {mode === "existing" ? (
          <Form.Item name="personId" label={t("orgs.posts.person")} rules={[{ required: true, message: t("orgs.posts.personRequired") }]}>
            <PersonIdPicker />
          </Form.Item>
        ) : (
          <Space size={12} wrap align="start">
            <Form.Item name="name" label={t("person.fields.name")} rules={[{ required: true, whitespace: true, message: t("orgs.seat.nameRequired") }]}>
              <Input maxLength={50} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="gender" label={t("person.fields.gender")}>
              <Radio.Group
                options={[
                  { value: "male", label: t("person.gender.male") },
                  { value: "female", label: t("person.gender.female") },
                ]}
              />
            </Form.Item>
            <Form.Item name="birthYear" label={t("person.fields.birthYear")} rules={[{ required: true, message: t("orgs.seat.yearRequired") }]}>
              <InputNumber min={1920} max={dayjs().year() - 16} style={{ width: 110 }} />
            </Form.Item>
          </Space>
        )}
        <Space size={12} wrap align="start">
          <Form.Item name="title" label={t("orgs.seat.committeeTitle")} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={60} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="unitTitle" label={t("orgs.seat.unitTitle")} rules={[{ required: true, whitespace: true, message: t("orgs.seat.unitTitleRequired") }]}>
            <Input maxLength={60} style={{ width: 160 }} placeholder={t("orgs.seat.unitTitlePlaceholder")} />
          </Form.Item>
          <Form.Item name="startedOn" label={t("orgs.posts.startedOn")}>
            <DatePicker disabledDate={(d) => d.isAfter(dayjs(), "day")} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
