import { useTranslation } from "react-i18next";
import { App, Upload, type UploadFile } from "antd";
import { CameraOutlined } from "@ant-design/icons";
import { describeError } from "../../errors";
import { uploadCasePhoto, type CasePhoto } from "../api";

const maxPhotos = 9;

/**
 * Photos for a step (a handler's result, a department's part): each is uploaded when chosen
 * (POST /api/case-photos) and its id sent as evidence with the step.
 */
export function CasePhotoUpload({ files, onChange, addLabel }: { files: UploadFile[]; onChange: (files: UploadFile[]) => void; addLabel: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (
    <Upload
      listType="picture-card"
      accept="image/jpeg,image/png,image/webp"
      multiple
      maxCount={maxPhotos}
      fileList={files}
      onChange={({ fileList }) => onChange(fileList)}
      customRequest={({ file, onSuccess, onError }) => {
        uploadCasePhoto(file as Blob).then(
          (photo) => onSuccess?.(photo),
          (e: unknown) => {
            void message.error(describeError(t, e));
            onError?.(e instanceof Error ? e : new Error(String(e)));
          },
        );
      }}
    >
      {files.length < maxPhotos && (
        <div>
          <CameraOutlined />
          <div style={{ marginTop: 4 }}>{addLabel}</div>
        </div>
      )}
    </Upload>
  );
}

export function photosUploading(files: UploadFile[]): boolean {
  return files.some((f) => f.status === "uploading");
}

/** Ids of the photos whose upload finished. */
export function uploadedPhotoIds(files: UploadFile[]): string[] {
  return files.filter((f) => f.status === "done" && typeof (f.response as CasePhoto | undefined)?.id === "string").map((f) => (f.response as CasePhoto).id);
}
