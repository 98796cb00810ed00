import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button, Input, Popup, Selector, TextArea, type ImageUploadItem } from "antd-mobile";
import { describeError } from "../../errors";
import type { LimitUnit } from "../api";
import { PhotoPicker, photoIdsOf } from "./PhotoPicker";

export interface StepValues {
  text: string;
  photoIds: string[];
  extraValue: number;
  extraUnit: LimitUnit;
}

export interface StepForm {
  title: string;
  /** A sentence under the title: what the step does. */
  explain?: string;
  /** The note or reason: its label, and whether it must be filled in. */
  text?: { label: string; required: boolean; placeholder?: string };
  photos?: boolean;
  extension?: boolean;
  confirm: string;
  danger?: boolean;
}

/**
 * One step's form in a bottom sheet: a note or reason, photos, or the extra time asked for.
 * `onSubmit` runs the step; the sheet stays open with the error said in words when it fails.
 */
export function StepPopup({ form, onClose, onSubmit }: { form: StepForm | null; onClose: () => void; onSubmit: (v: StepValues) => Promise<unknown> }) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const [photos, setPhotos] = useState<ImageUploadItem[]>([]);
  const [extraValue, setExtraValue] = useState("2");
  const [extraUnit, setExtraUnit] = useState<LimitUnit>("workingDays");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (form) {
      setText("");
      setPhotos([]);
      setExtraValue("2");
      setExtraUnit("workingDays");
      setError(null);
    }
  }, [form]);

  const submit = async () => {
    if (!form) return;
    if (form.text?.required && text.trim() === "") {
      setError(t("cases.step.textRequired", { label: form.text.label }));
      return;
    }
    const value = Number(extraValue);
    if (form.extension && !(value > 0 && value <= 1000)) {
      setError(t("cases.step.extraInvalid"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ text: text.trim(), photoIds: photoIdsOf(photos), extraValue: value, extraUnit });
    } catch (e) {
      setError(describeError(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Popup visible={form !== null} onMaskClick={onClose} onClose={onClose} bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, maxHeight: "85vh", overflowY: "auto" }} destroyOnClose>
      {form && (
        <div className="gz-case-popup" data-testid="case-step-popup">
          <h3>{form.title}</h3>
          {form.explain && <p className="gz-mobile-muted">{form.explain}</p>}
          {form.text && (
            <label className="gz-case-popup-field">
              <span>
                {form.text.label}
                {!form.text.required && <span className="gz-mobile-muted"> {t("cases.step.optional")}</span>}
              </span>
              <TextArea
                value={text}
                onChange={(v) => {
                  setText(v);
                  setError(null);
                }}
                rows={3} maxLength={500} showCount placeholder={form.text.placeholder} data-testid="case-step-text" />
            </label>
          )}
          {form.extension && (
            <div className="gz-case-popup-field">
              <span>{t("cases.step.extraTime")}</span>
              <div style={{ display: "flex", gap: 8, alignItems: "center" }}>
                <Input type="number" value={extraValue} onChange={setExtraValue} style={{ width: 72, "--text-align": "center" }} className="gz-case-input" data-testid="case-step-extra" />
                <Selector
                  columns={3}
                  options={(["workingHours", "workingDays", "naturalHours"] as const).map((u) => ({ label: t(`cases.unit.${u}`), value: u }))}
                  value={[extraUnit]}
                  onChange={(v) => v[0] && setExtraUnit(v[0])}
                  style={{ flex: 1, "--padding": "6px 4px" }}
                />
              </div>
            </div>
          )}
          {form.photos && (
            <div className="gz-case-popup-field">
              <span>{t("cases.step.photos")}</span>
              <PhotoPicker value={photos} onChange={setPhotos} max={9} testId="case-step-photos" />
            </div>
          )}
          {error && (
            <div className="gz-case-error" data-testid="case-step-error">
              {error}
            </div>
          )}
          <div style={{ display: "flex", gap: 8, marginTop: 12 }}>
            <Button block onClick={onClose}>
              {t("common.cancel")}
            </Button>
            <Button block color={form.danger ? "danger" : "primary"} loading={busy} onClick={() => void submit()} data-testid="case-step-confirm">
              {form.confirm}
            </Button>
          </div>
        </div>
      )}
    </Popup>
  );
}
