import { useCallback, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button, Card, DotLoading, Form, Input, List, Selector, Switch, Tag, TextArea, Toast, type ImageUploadItem } from "antd-mobile";
import { isApiError } from "../../../api";
import { describeError } from "../../errors";
import { useAreaGeoJson, useAreaRoots } from "../../areas/api";
import { gridAt, PointPickerMap, type PickedPoint } from "../../places/PointPickerMap";
import { useActiveCategoryTree, type CategoryAttribute } from "../catalogue/api";
import { useReportCase, useSimilarCases, type CaseAttributeAnswer, type CaseReportInput, type CaseSubmissionReceipt, type CaseUrgency } from "../api";
import { PhotoPicker, photoIdsOf } from "./PhotoPicker";
import { findPersonByIdNumber, newSubmissionKey, useOwnHousehold, type FoundPerson } from "./household";
import { shortTime } from "./format";

type Mode = "resident" | "worker";
type Where = "home" | "map";
type Field = "category" | "description" | "location" | "contactPhone" | "person";

const descriptionMax = 500;
const decimal = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** What the resident has typed or chosen for an extra question: text (a date-time as the phone's local "2026-03-01T08:15"), or the keys of a multiple choice. */
type Answer = string | string[];

const isBlank = (v: Answer | undefined) => v === undefined || (Array.isArray(v) ? v.length === 0 : v.trim() === "");

/** The answers as the server takes them: numbers as numbers, date-times with their zone; blanks left out. */
function answersFor(questions: readonly CategoryAttribute[], answers: Record<string, Answer>): Record<string, CaseAttributeAnswer> {
  const out: Record<string, CaseAttributeAnswer> = {};
  for (const q of questions) {
    const v = answers[q.code];
    if (v === undefined || isBlank(v)) continue;
    if (Array.isArray(v)) out[q.code] = v;
    else if (q.datatype === "number") out[q.code] = Number(v.trim());
    else if (q.datatype === "datetime") out[q.code] = new Date(v).toISOString();
    else out[q.code] = v.trim();
  }
  return out;
}

/** One extra question's input, by how it is answered. */
function AnswerInput({ question: q, value, onChange }: { question: CategoryAttribute; value: Answer | undefined; onChange: (v: Answer) => void }) {
  const { t } = useTranslation();
  const testId = `case-attribute-${q.code}`;
  const text = typeof value === "string" ? value : "";
  switch (q.datatype) {
    case "singlevaluelist":
    case "multivaluelist":
      return (
        <Selector
          columns={2}
          multiple={q.datatype === "multivaluelist"}
          options={(q.values ?? []).map((v) => ({ label: v.name, value: v.key }))}
          value={Array.isArray(value) ? value : value ? [value] : []}
          onChange={(v) => onChange(q.datatype === "multivaluelist" ? v : (v[0] ?? ""))}
          data-testid={testId}
        />
      );
    case "text":
      return <TextArea value={text} onChange={onChange} rows={3} autoSize={{ minRows: 2, maxRows: 6 }} maxLength={4000} placeholder={t("cases.report.answerPlaceholder")} data-testid={testId} />;
    case "number":
      return <Input value={text} onChange={onChange} inputMode="decimal" maxLength={30} placeholder={t("cases.report.answerPlaceholder")} clearable data-testid={testId} />;
    case "datetime":
      return <Input value={text} onChange={onChange} type="datetime-local" data-testid={testId} />;
    case "string":
      return <Input value={text} onChange={onChange} maxLength={200} placeholder={t("cases.report.answerPlaceholder")} clearable data-testid={testId} />;
  }
}

/**
 * 我要反映 / 巡查上报: the one report form of the phone faces. A resident picks the category, says
 * what is wrong, where (their own building, or a point on the map), adds photos, may stay
 * anonymous and leave a phone for the handlers only. A grid worker reports from patrol, or on
 * behalf of a resident found by ID number. Nearby open cases of the same kind are shown.
 */
export function CaseReportForm({ mode, onDone, displayName }: { mode: Mode; onDone: (receipt: CaseSubmissionReceipt) => void; displayName: string }) {
  const { t, i18n } = useTranslation();
  const tree = useActiveCategoryTree();
  const roots = useAreaRoots();
  const mapAreaId = roots.data?.[0]?.id;
  const geojson = useAreaGeoJson(mapAreaId);
  const household = useOwnHousehold(mode === "resident");
  const homeBuilding = household.data?.buildingId ? household.data : null;
  const report = useReportCase();

  const [key, setKey] = useState(newSubmissionKey);
  const [topCode, setTopCode] = useState<string | null>(null);
  const [subCode, setSubCode] = useState<string | null>(null);
  const [description, setDescription] = useState("");
  const [whereChoice, setWhere] = useState<Where | null>(null);
  const [point, setPoint] = useState<PickedPoint | null>(null);
  const [locationText, setLocationText] = useState("");
  const [photos, setPhotos] = useState<ImageUploadItem[]>([]);
  const [urgency, setUrgency] = useState<CaseUrgency>("normal");
  const [anonymous, setAnonymous] = useState(false);
  const [contactName, setContactName] = useState(displayName);
  const [contactPhone, setContactPhone] = useState("");
  const [onBehalf, setOnBehalf] = useState(false);
  const [idNumber, setIdNumber] = useState("");
  const [person, setPerson] = useState<FoundPerson | null>(null);
  const [finding, setFinding] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [answerErrors, setAnswerErrors] = useState<Record<string, string>>({});

  const where: Where = whereChoice ?? (homeBuilding ? "home" : "map");
  const top = tree.data?.items.find((c) => c.code === topCode);
  // 附加信息 of the chosen sub-category: the questions in their order, and notes that need no answer.
  const attributes = useMemo(
    () => [...(top?.children.find((c) => c.code === subCode)?.attributes ?? [])].sort((a, b) => a.order - b.order),
    [top, subCode],
  );
  const questions = attributes.filter((a) => a.variable);
  const notes = attributes.filter((a) => !a.variable);
  const pickSub = (code: string | null) => {
    setSubCode(code);
    setAnswers({});
    setAnswerErrors({});
  };
  const answer = (code: string, v: Answer) => {
    setAnswers((a) => ({ ...a, [code]: v }));
    setAnswerErrors(({ [code]: _, ...rest }) => rest);
  };
  const onPick = useCallback((p: PickedPoint) => {
    setPoint(p);
    setErrors((e) => ({ ...e, location: undefined }));
  }, []);
  const pickedGrid = useMemo(() => gridAt(geojson.data, point), [geojson.data, point]);
  const similarQuery = subCode && where === "map" && point ? { categoryCode: subCode, lng: point.lng, lat: point.lat } : null;
  const similar = useSimilarCases(similarQuery);

  const check = (): Partial<Record<Field, string>> => {
    const e: Partial<Record<Field, string>> = {};
    if (!subCode) e.category = t("cases.report.categoryRequired");
    if (description.trim() === "") e.description = t("cases.report.descriptionRequired");
    if (where === "map" && !point) e.location = t("cases.report.pointRequired");
    if (contactPhone.trim() !== "" && !/^[0-9+\-\s]{5,20}$/.test(contactPhone.trim())) e.contactPhone = t("cases.report.phoneInvalid");
    if (mode === "worker" && onBehalf && !person) e.person = t("cases.report.personRequired");
    return e;
  };

  const checkAnswers = (): Record<string, string> => {
    const e: Record<string, string> = {};
    for (const q of questions) {
      const v = answers[q.code];
      if (isBlank(v)) {
        if (q.required) e[q.code] = t("cases.report.answerRequired");
      } else if (q.datatype === "number" && typeof v === "string" && !decimal.test(v.trim())) e[q.code] = t("cases.report.numberInvalid");
    }
    return e;
  };

  const findPerson = async () => {
    if (idNumber.trim() === "") return;
    setFinding(true);
    try {
      setPerson(await findPersonByIdNumber(idNumber.trim()));
      setErrors((e) => ({ ...e, person: undefined }));
    } catch (err) {
      setPerson(null);
      // A refused number: the server's reason alone (its "提交的内容不符合要求" opening reads oddly before any submission).
      const reason = isApiError(err) && err.code === "validation_failed" ? err.message.replace(/^[^：:]*[：:]\s*/, "") : null;
      setErrors((e) => ({ ...e, person: isApiError(err) && err.code === "not_found" ? t("cases.report.personNotFound") : (reason ?? describeError(t, err)) }));
    } finally {
      setFinding(false);
    }
  };

  const submit = () => {
    const e = check();
    const ae = checkAnswers();
    setErrors(e);
    setAnswerErrors(ae);
    if (Object.keys(e).length > 0 || Object.keys(ae).length > 0 || !subCode) {
      Toast.show({ content: t("cases.report.fixErrors") });
      return;
    }
    const input: CaseReportInput = {
      categoryCode: subCode,
      description: description.trim(),
      urgency,
      ...(where === "home" && homeBuilding?.buildingId ? { buildingId: homeBuilding.buildingId } : point ? { lng: point.lng, lat: point.lat } : {}),
      ...(locationText.trim() ? { locationText: locationText.trim() } : {}),
      photoIds: photoIdsOf(photos),
    };
    const given = answersFor(questions, answers);
    if (Object.keys(given).length > 0) input.attributes = given;
    if (mode === "resident") {
      input.anonymous = anonymous;
      if (!anonymous && contactName.trim()) input.contactName = contactName.trim();
      if (contactPhone.trim()) input.contactPhone = contactPhone.trim();
    } else if (onBehalf && person) {
      input.reporterPersonId = person.id;
      if (contactPhone.trim()) input.contactPhone = contactPhone.trim();
    }
    report.mutate(
      { ...input, idempotencyKey: key },
      {
        onSuccess: (receipt) => {
          setKey(newSubmissionKey());
          onDone(receipt);
        },
        onError: (err) => {
          const message = describeError(t, err);
          if (isApiError(err) && err.field?.startsWith("attributes.")) {
            const code = err.field.slice("attributes.".length);
            setAnswerErrors((x) => ({ ...x, [code]: message }));
          } else if (isApiError(err) && err.field) {
            const field: Field | null =
              err.field === "categoryCode" ? "category" : ["lng", "lat", "buildingId"].includes(err.field) ? "location" : err.field === "description" ? "description" : err.field === "contactPhone" ? "contactPhone" : err.field === "reporterPersonId" ? "person" : null;
            if (field) setErrors((x) => ({ ...x, [field]: message }));
          } else if (isApiError(err) && err.code === "outside_grids") {
            setErrors((x) => ({ ...x, location: message }));
          }
          Toast.show({ icon: "fail", content: message, duration: 3000 });
        },
      },
    );
  };

  if (tree.isError) return <Card className="gz-mobile-section">{describeError(t, tree.error)}</Card>;

  return (
    <div data-testid="case-report-form">
      <Card className="gz-mobile-section" title={t("cases.report.category")}>
        {tree.isPending ? (
          <DotLoading />
        ) : (
          <>
            <Selector
              columns={3}
              options={tree.data.items.map((c) => ({ label: c.name, value: c.code }))}
              value={topCode ? [topCode] : []}
              onChange={(v) => {
                setTopCode(v[0] ?? null);
                pickSub(null);
              }}
              data-testid="case-top-category"
            />
            {top && (
              <div style={{ marginTop: 12 }}>
                <div className="gz-mobile-muted" style={{ marginBottom: 6 }}>
                  {t("cases.report.subCategory", { name: top.name })}
                </div>
                <Selector
                  columns={2}
                  options={top.children.map((c) => ({ label: c.name, value: c.code }))}
                  value={subCode ? [subCode] : []}
                  onChange={(v) => {
                    pickSub(v[0] ?? null);
                    setErrors((e) => ({ ...e, category: undefined }));
                  }}
                  data-testid="case-sub-category"
                />
              </div>
            )}
            {errors.category && <div className="gz-case-error">{errors.category}</div>}
          </>
        )}
      </Card>

      {attributes.length > 0 && (
        <Card className="gz-mobile-section" title={t("cases.report.extra")} data-testid="case-attributes">
          {notes.map((n) => (
            <p key={n.code} className="gz-mobile-muted" style={{ margin: "0 0 8px" }}>
              {n.description}
            </p>
          ))}
          {questions.length > 0 && (
            <Form layout="vertical" style={{ "--border-top": "0", "--border-bottom": "0" }}>
              {questions.map((q) => (
                <Form.Item
                  key={q.code}
                  // Form.Item marks `required` only on named fields; these answers live in this component's state, so the mark is drawn here, in antd-mobile's style.
                  label={
                    <>
                      {q.description}
                      {q.required && <span className="adm-form-item-required-asterisk">*</span>}
                    </>
                  }
                  description={q.datatypeDescription}
                >
                  <AnswerInput question={q} value={answers[q.code]} onChange={(v) => answer(q.code, v)} />
                  {answerErrors[q.code] && <div className="gz-case-error">{answerErrors[q.code]}</div>}
                </Form.Item>
              ))}
            </Form>
          )}
        </Card>
      )}

      <Card className="gz-mobile-section" title={t("cases.report.description")}>
        <TextArea
          value={description}
          onChange={(v) => {
            setDescription(v);
            if (v.trim()) setErrors((e) => ({ ...e, description: undefined }));
          }}
          placeholder={mode === "resident" ? t("cases.report.descriptionPlaceholder") : t("cases.report.descriptionPlaceholderWorker")}
          rows={4}
          maxLength={descriptionMax}
          showCount
          data-testid="case-description"
        />
        {errors.description && <div className="gz-case-error">{errors.description}</div>}
      </Card>

      <Card className="gz-mobile-section" title={t("cases.report.location")}>
        {household.isLoading ? (
          <DotLoading />
        ) : (
          <>
            {homeBuilding && (
              <Selector
                columns={2}
                options={[
                  { label: t("cases.report.whereHome"), value: "home" },
                  { label: t("cases.report.whereMap"), value: "map" },
                ]}
                value={[where]}
                onChange={(v) => v[0] && setWhere(v[0])}
                style={{ marginBottom: 8 }}
                data-testid="case-where"
              />
            )}
            {where === "home" && homeBuilding ? (
              <p className="gz-mobile-muted" style={{ margin: "4px 0 8px" }} data-testid="case-home-address">
                {homeBuilding.address}
              </p>
            ) : (
              <>
                <p className="gz-mobile-muted" style={{ margin: "0 0 8px" }}>
                  {t("cases.report.pointHint")}
                </p>
                {geojson.data ? (
                  <PointPickerMap data={geojson.data} point={point} onPick={onPick} height={240} testId="case-point-map" />
                ) : geojson.isError ? (
                  <p className="gz-mobile-muted">{describeError(t, geojson.error)}</p>
                ) : (
                  <DotLoading />
                )}
                <div style={{ marginTop: 6, minHeight: 20 }} data-testid="case-point-grid">
                  {point &&
                    (pickedGrid ? (
                      <Tag color="success" fill="outline">
                        {t("cases.report.pointIn", { name: pickedGrid.name })}
                      </Tag>
                    ) : (
                      <span className="gz-mobile-muted">{t("cases.report.pointOutside")}</span>
                    ))}
                </div>
              </>
            )}
          </>
        )}
        {errors.location && <div className="gz-case-error">{errors.location}</div>}
        <Input
          value={locationText}
          onChange={setLocationText}
          maxLength={200}
          placeholder={t("cases.report.locationTextPlaceholder")}
          clearable
          className="gz-case-input"
          data-testid="case-location-text"
        />
      </Card>

      {similar.data && similar.data.items.length > 0 && (
        <Card className="gz-mobile-section" title={t("cases.report.similarTitle", { count: similar.data.items.length })} data-testid="case-similar">
          <p className="gz-mobile-muted" style={{ margin: 0 }}>
            {t("cases.report.similarNote")}
          </p>
          <List style={{ "--border-top": "0", "--border-bottom": "0", "--padding-left": "0" }}>
            {similar.data.items.map((s, i) =>
              s.kind === "case" ? (
                <List.Item key={s.id} description={t("cases.report.similarMeta", { distance: s.distanceM, time: shortTime(i18n, s.submittedAt) })} extra={<Tag fill="outline">{s.statusLabel}</Tag>}>
                  {s.excerpt}
                </List.Item>
              ) : (
                // Another resident's case, as the public board shows it: no number, words or distance.
                <List.Item key={`board-${i}`} description={t("cases.report.similarBoardMeta", { grid: s.gridName, day: s.submittedOn })} extra={<Tag fill="outline">{s.statusLabel}</Tag>}>
                  {i18n.language === "en" ? s.summary.en : s.summary.zh}
                </List.Item>
              ),
            )}
          </List>
        </Card>
      )}

      <Card className="gz-mobile-section" title={t("cases.report.photos")}>
        <PhotoPicker value={photos} onChange={setPhotos} testId="case-photos" />
      </Card>

      <Card className="gz-mobile-section" title={t("cases.report.urgency")}>
        <Selector
          columns={2}
          options={[
            { label: t("cases.urgency.normal"), value: "normal" },
            { label: t("cases.urgency.urgent"), value: "urgent" },
          ]}
          value={[urgency]}
          onChange={(v) => v[0] && setUrgency(v[0])}
        />
        <p className="gz-mobile-muted" style={{ margin: "8px 0 0" }}>
          {t("cases.report.emergencyNote")}
        </p>
      </Card>

      {mode === "resident" ? (
        <Card className="gz-mobile-section" title={t("cases.report.contact")}>
          <List style={{ "--border-top": "0", "--border-bottom": "0", "--padding-left": "0" }}>
            <List.Item extra={<Switch checked={anonymous} onChange={setAnonymous} data-testid="case-anonymous" />} description={t("cases.report.anonymousNote")}>
              {t("cases.report.anonymous")}
            </List.Item>
          </List>
          <Form layout="horizontal" style={{ "--border-top": "0", "--border-bottom": "0", "--prefix-width": "6em" }}>
            {!anonymous && (
              <Form.Item label={t("cases.report.contactName")}>
                <Input value={contactName} onChange={setContactName} maxLength={30} clearable />
              </Form.Item>
            )}
            <Form.Item label={t("cases.report.contactPhone")} description={t("cases.report.phonePrivate")}>
              <Input value={contactPhone} onChange={setContactPhone} type="tel" maxLength={20} placeholder={t("cases.report.phonePlaceholder")} clearable data-testid="case-contact-phone" />
            </Form.Item>
          </Form>
          {errors.contactPhone && <div className="gz-case-error">{errors.contactPhone}</div>}
        </Card>
      ) : (
        <Card className="gz-mobile-section" title={t("cases.report.onBehalfTitle")}>
          <List style={{ "--border-top": "0", "--border-bottom": "0", "--padding-left": "0" }}>
            <List.Item extra={<Switch checked={onBehalf} onChange={setOnBehalf} data-testid="case-on-behalf" />} description={t("cases.report.onBehalfNote")}>
              {t("cases.report.onBehalf")}
            </List.Item>
          </List>
          {onBehalf && (
            <Form layout="horizontal" style={{ "--border-top": "0", "--border-bottom": "0", "--prefix-width": "6em" }}>
                <Form.Item
                  // Stacked, so all 18 digits fit beside the button on a phone and can be checked.
                  layout="vertical"
                  label={t("cases.report.idNumber")}
                  extra={
                    <Button size="small" color="primary" fill="outline" loading={finding} onClick={() => void findPerson()} data-testid="case-person-find">
                      {t("cases.report.find")}
                    </Button>
                  }
                  description={person ? t("cases.report.personFound", { name: person.name, grid: person.gridName ?? "" }) : t("cases.report.idNumberNote")}
                >
                  <Input
                    value={idNumber}
                    onChange={(v) => {
                      setIdNumber(v);
                      setPerson(null);
                    }}
                    maxLength={18}
                    autoComplete="off"
                    data-testid="case-person-id"
                  />
                </Form.Item>
                <Form.Item label={t("cases.report.contactPhone")} description={t("cases.report.phonePrivateWorker")}>
                  <Input value={contactPhone} onChange={setContactPhone} type="tel" maxLength={20} clearable />
                </Form.Item>
            </Form>
          )}
          {errors.person && <div className="gz-case-error">{errors.person}</div>}
          {errors.contactPhone && <div className="gz-case-error">{errors.contactPhone}</div>}
        </Card>
      )}

      <div className="gz-mobile-section" style={{ marginBottom: 16 }}>
        <Button block color="primary" size="large" loading={report.isPending} onClick={submit} data-testid="case-submit">
          {mode === "resident" ? t("cases.report.submit") : t("cases.report.submitWorker")}
        </Button>
      </div>
    </div>
  );
}
