import type { ReactNode } from "react";
import { useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Breadcrumb, Button, Space, Typography } from "antd";
import { ArrowLeftOutlined } from "@ant-design/icons";

export interface Crumb {
  key: string;
  label: string;
  to?: string;
}

/** A page's title row: back, the path above it, the title, and its actions on the right. */
export function PageHead({ title, crumbs, extra, back }: { title: ReactNode; crumbs?: Crumb[]; extra?: ReactNode; back?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <div className="gz-page-head">
      <Space size={8} align="center" className="gz-page-head-title">
        {back && (
          <Button type="text" size="small" icon={<ArrowLeftOutlined />} aria-label={t("common.back")} onClick={() => void navigate(-1)} />
        )}
        <Typography.Title level={4} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
      </Space>
      {crumbs && crumbs.length > 0 && (
        <Breadcrumb
          items={crumbs.map((c) => ({
            key: c.key,
            title: c.to ? <Typography.Link onClick={() => void navigate(c.to!)}>{c.label}</Typography.Link> : <span>{c.label}</span>,
          }))}
        />
      )}
      {extra && <div className="gz-page-head-extra">{extra}</div>}
    </div>
  );
}
