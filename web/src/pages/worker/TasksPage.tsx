import { useTranslation } from "react-i18next";
import { List, Result, Tag } from "antd-mobile";

const coming = ["cases", "patrol", "doorToDoor"] as const;

/** 任务: not built yet; says so plainly and what will come. */
export function TasksPage() {
  const { t } = useTranslation();
  return (
    <div>
      <Result
        className="gz-mobile-coming"
        status="waiting"
        title={t("worker.tasks.title")}
        description={t("worker.tasks.description")}
      />
      <List className="gz-mobile-section">
        {coming.map((k) => (
          <List.Item
            key={k}
            description={t(`worker.tasks.coming.${k}.description`)}
            extra={
              <Tag color="default" fill="outline">
                {t("common.comingSoon")}
              </Tag>
            }
          >
            {t(`worker.tasks.coming.${k}.title`)}
          </List.Item>
        ))}
      </List>
    </div>
  );
}
