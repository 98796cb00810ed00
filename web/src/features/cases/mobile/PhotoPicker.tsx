import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { ImageUploader, Toast, type ImageUploadItem } from "antd-mobile";
import { isApiError } from "../../../api";
import { describeError } from "../../errors";
import { uploadCasePhoto, type CasePhoto } from "../api";

export const maxCasePhotos = 6;

/** Refusals that are about the chosen file, said with the server's sentence (or ours for the type). */
const ownPhotoMistakes = new Set(["photo_not_image", "photo_too_large", "photo_too_many_pixels", "photo_unreadable"]);

/** The uploaded photos' ids, in the order shown. */
export function photoIdsOf(items: readonly ImageUploadItem[]): string[] {
  return items.map((i) => (typeof i.extra === "string" ? i.extra : null)).filter((id): id is string => id !== null);
}

/**
 * 现场照片: each photo is uploaded as soon as it is chosen (its own type as Content-Type); the
 * server's refusal (not an image, too large, too many pixels, damaged) is said in words and the photo is not kept.
 */
export function PhotoPicker({ value, onChange, max = maxCasePhotos, testId }: { value: ImageUploadItem[]; onChange: (items: ImageUploadItem[]) => void; max?: number; testId?: string }) {
  const { t } = useTranslation();
  // Each file goes to the server in beforeUpload: a refused one is said in words and never becomes
  // a cell (a rejected `upload` would stay as a failed task and be logged as a console error).
  const uploadedFiles = useRef(new Map<File, CasePhoto>());
  const beforeUpload = async (file: File): Promise<File | null> => {
    Toast.show({ icon: "loading", content: t("cases.photos.uploading"), duration: 0 });
    try {
      uploadedFiles.current.set(file, await uploadCasePhoto(file));
      Toast.clear();
      return file;
    } catch (e) {
      // The person's own mistake (wrong kind of file, too large, too many pixels, damaged): the
      // sentence alone, no request number.
      const own = isApiError(e) && ownPhotoMistakes.has(e.code);
      Toast.show({ icon: "fail", content: own ? (e.code === "photo_not_image" ? t("cases.photos.notImage") : e.message) : describeError(t, e), duration: 2500 });
      return null;
    }
  };
  const upload = (file: File): Promise<ImageUploadItem> => {
    const photo = uploadedFiles.current.get(file);
    uploadedFiles.current.delete(file);
    if (!photo) return Promise.reject(new Error("photo not uploaded"));
    return Promise.resolve({ key: photo.id, url: URL.createObjectURL(file), extra: photo.id });
  };
  return (
    <div data-testid={testId}>
      <ImageUploader value={value} onChange={onChange} beforeUpload={beforeUpload} upload={upload} maxCount={max} multiple accept="image/*" showFailed={false} />
      <div className="gz-mobile-muted" style={{ marginTop: 4 }}>
        {t("cases.photos.hint", { max })}
      </div>
    </div>
  );
}
