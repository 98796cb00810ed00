/** 外部系统推送 (webhooks) on the client: the hooks, their deliveries, test pings and secrets (system administrators). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { http, type Answer, type Body, type Schema } from "../../../api";

export type Webhook = Schema<"Webhook">;
export type WebhookDelivery = Schema<"WebhookDelivery">;
export type DeliveryStatus = WebhookDelivery["status"];
export type CreateWebhookInput = Body<"post", "/api/webhooks">;
export type UpdateWebhookInput = Body<"patch", "/api/webhooks/{id}">;
/** A new hook or a replaced secret: the signing secret is in this answer only. */
export type WebhookWithSecret = Answer<"post", "/api/webhooks">;
/** What the receiver answered to a test ping. */
export type PingResult = Answer<"post", "/api/webhooks/{id}/test">;

const keys = {
  all: ["webhooks"] as const,
  list: ["webhooks", "list"] as const,
  deliveries: (id: string | undefined) => ["webhooks", "deliveries", id] as const,
};

/** The hooks and the events one can subscribe to. */
export function useWebhooks() {
  return useQuery({
    queryKey: keys.list,
    queryFn: ({ signal }) => http.get("/api/webhooks", { signal }),
    // A 403 will not turn into a 200 by asking again.
    retry: false,
  });
}

/** The 100 newest deliveries of a hook (while `id` is set). */
export function useWebhookDeliveries(id: string | undefined) {
  return useQuery({
    queryKey: keys.deliveries(id),
    queryFn: ({ signal }) => http.get("/api/webhooks/{id}/deliveries", { params: { path: { id: id ?? "" } }, signal }).then((r) => r.items),
    enabled: Boolean(id),
  });
}

function useWebhookMutation<I, O>(fn: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.all }) });
}

export function useCreateWebhook() {
  return useWebhookMutation((input: CreateWebhookInput) => http.post("/api/webhooks", { body: input }));
}

export function useUpdateWebhook() {
  return useWebhookMutation(({ id, ...patch }: UpdateWebhookInput & { id: string }) => http.patch("/api/webhooks/{id}", { params: { path: { id } }, body: patch }));
}

export function useDeleteWebhook() {
  return useWebhookMutation((id: string) => http.delete("/api/webhooks/{id}", { params: { path: { id } } }));
}

/** Sends a signed ping now; the list's counts and the deliveries change, so both are refetched. */
export function useTestWebhook() {
  return useWebhookMutation((id: string) => http.post("/api/webhooks/{id}/test", { params: { path: { id } } }));
}

export function useRegenerateWebhookSecret() {
  return useWebhookMutation((id: string) => http.post("/api/webhooks/{id}/secret", { params: { path: { id } } }));
}
