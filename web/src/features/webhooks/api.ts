/** 外部系统推送 (webhooks) on the client: the hooks, their deliveries, test pings and secrets (system administrators). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api";

export interface Webhook {
  id: string;
  name: string;
  url: string;
  /** Subscribed events; empty = all. */
  events: string[];
  areaId: string | null;
  areaName: string | null;
  active: boolean;
  createdAt: string;
  pending: number;
  failed: number;
  lastDeliveredAt: string | null;
}

export type DeliveryStatus = "pending" | "delivered" | "failed";

export interface WebhookDelivery {
  id: number;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
  createdAt: string;
  caseNo: string | null;
}

export interface CreateWebhookInput {
  name: string;
  url: string;
  events: string[];
  areaId?: string | null;
}

export interface UpdateWebhookInput {
  name?: string;
  url?: string;
  events?: string[];
  active?: boolean;
}

/** A new hook or a replaced secret: the signing secret is in this answer only. */
export interface WebhookWithSecret {
  webhook: Webhook;
  secret: string;
}

/** What the receiver answered to a test ping. */
export interface PingResult {
  deliveryId: number;
  ok: boolean;
  status: number | null;
  error: string | null;
}

const keys = {
  all: ["webhooks"] as const,
  list: ["webhooks", "list"] as const,
  deliveries: (id: string | undefined) => ["webhooks", "deliveries", id] as const,
};

const path = (id: string, rest = "") => `/api/webhooks/${encodeURIComponent(id)}${rest}`;

/** The hooks and the events one can subscribe to. */
export function useWebhooks() {
  return useQuery({
    queryKey: keys.list,
    queryFn: ({ signal }) => api<{ items: Webhook[]; events: string[] }>("/api/webhooks", { signal }),
    // A 403 will not turn into a 200 by asking again.
    retry: false,
  });
}

/** The 100 newest deliveries of a hook (while `id` is set). */
export function useWebhookDeliveries(id: string | undefined) {
  return useQuery({
    queryKey: keys.deliveries(id),
    queryFn: ({ signal }) => api<{ items: WebhookDelivery[] }>(path(id ?? "", "/deliveries"), { signal }).then((r) => r.items),
    enabled: Boolean(id),
  });
}

function useWebhookMutation<I, O>(fn: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.all }) });
}

export function useCreateWebhook() {
  return useWebhookMutation((input: CreateWebhookInput) => api<WebhookWithSecret>("/api/webhooks", { method: "POST", body: input }));
}

export function useUpdateWebhook() {
  return useWebhookMutation(({ id, ...patch }: UpdateWebhookInput & { id: string }) => api<Webhook>(path(id), { method: "PATCH", body: patch }));
}

export function useDeleteWebhook() {
  return useWebhookMutation((id: string) => api<null>(path(id), { method: "DELETE" }));
}

/** Sends a signed ping now; the list's counts and the deliveries change, so both are refetched. */
export function useTestWebhook() {
  return useWebhookMutation((id: string) => api<PingResult>(path(id, "/test"), { method: "POST" }));
}

export function useRegenerateWebhookSecret() {
  return useWebhookMutation((id: string) => api<WebhookWithSecret>(path(id, "/secret"), { method: "POST" }));
}
