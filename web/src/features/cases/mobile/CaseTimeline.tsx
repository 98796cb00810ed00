import { useTranslation } from "react-i18next";
import { Image, ImageViewer, Space, Steps } from "antd-mobile";
import { casePhotoUrl, type TimelineEvent } from "../api";
import { labelIn, shortTime } from "./format";

/** Photos as thumbnails; a tap opens them full screen. */
export function CasePhotoStrip({ ids, size = 72, testId }: { ids: readonly string[]; size?: number; testId?: string }) {
  if (ids.length === 0) return null;
  const urls = ids.map(casePhotoUrl);
  return (
    <Space wrap style={{ "--gap": "6px" }} data-testid={testId}>
      {urls.map((url, i) => (
        <Image
          key={url}
          src={url}
          width={size}
          height={size}
          fit="cover"
          style={{ borderRadius: 6, cursor: "pointer" }}
          onClick={() => ImageViewer.Multi.show({ images: urls, defaultIndex: i })}
        />
      ))}
    </Space>
  );
}

/**
 * 办理进度: every step of the case in order, newest last — what happened, when, by whom, the note
 * and any photos. The server already leaves out what the reader may not see.
 */
export function CaseTimeline({ events }: { events: readonly TimelineEvent[] }) {
  const { i18n } = useTranslation();
  const last = events.length - 1;
  return (
    <Steps direction="vertical" current={last} data-testid="case-timeline">
      {events.map((e, i) => (
        <Steps.Step
          key={e.id}
          status={i === last ? "process" : "finish"}
          title={<span data-testid="case-timeline-step">{labelIn(i18n, e.actionLabel)}</span>}
          description={
            <div className="gz-case-step">
              <div>
                {shortTime(i18n, e.at)} · {e.actorLabel}
              </div>
              {e.note && <div className="gz-case-step-note">{e.note}</div>}
              <CasePhotoStrip ids={e.evidence} size={56} />
            </div>
          }
        />
      ))}
    </Steps>
  );
}
