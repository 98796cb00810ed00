/**
 * Open311 GeoReport v2 at /open311/v2/ and its Service Discovery at /open311/discovery.{json,xml}.
 * Every method answers in JSON or XML by the path's extension; errors, too, are in the spec's
 * format (`[{code, description}]` / `<errors><error>…`), not the platform's error shape — this
 * plugin has its own error and not-found handlers and its own form-urlencoded body parser.
 */
import { Type, type TSchema } from "typebox";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { App } from "../../platform/http/server.js";
import { uniqueViolation } from "../../platform/http/server.js";
import { AppError, formatMessage, pickLang } from "../../platform/errors.js";
import { checkApiKey } from "../../platform/auth/service.js";
import { formats, isoChina, specificationUrl, toService, toServiceDefinition, type Format } from "./mapping.js";
import { toXml, type XmlValue } from "./xml.js";
import {
  Open311Error,
  catalogueChangeset,
  createRequest,
  findService,
  findToken,
  getRequest,
  listRequests,
  listServices,
  requestLimits,
  type FormBody,
  type RequestQuery,
} from "./service.js";

export interface Open311Options {
  /** Caps of `GET requests` (tests inject small ones). */
  limits?: { maxResults: number; windowDays: number };
}

const Str = Type.String();
const NullableStr = Type.Union([Type.String(), Type.Null()]);

const Service = Type.Object({
  service_code: Str,
  service_name: Str,
  description: Str,
  metadata: Type.Boolean(),
  type: Type.String({ enum: ["realtime", "batch", "blackbox"] }),
  keywords: Str,
  group: Str,
});
const Definition = Type.Object({
  service_code: Str,
  attributes: Type.Array(
    Type.Object({
      variable: Type.Boolean(),
      code: Str,
      datatype: Str,
      required: Type.Boolean(),
      datatype_description: Str,
      order: Type.Integer(),
      description: Str,
      values: Type.Array(Type.Object({ key: Str, name: Str })),
    }),
  ),
});
const Step = Type.Object({ action: Str, action_label: Str, status: Str, status_label: Str, at: Str });
const Request = Type.Object({
  service_request_id: Str,
  status: Type.String({ enum: ["open", "closed"] }),
  status_notes: Str,
  service_name: Str,
  service_code: Str,
  description: Type.String({ description: "a system phrase (category and source), never the reporter's words" }),
  agency_responsible: Str,
  service_notice: Str,
  requested_datetime: Str,
  updated_datetime: Str,
  expected_datetime: NullableStr,
  address: Type.String({ description: "street, community and grid only" }),
  address_id: Type.Null(),
  zipcode: Type.Null(),
  lat: Type.Number({ description: "rounded to 3 decimals (≈100 m)" }),
  long: Type.Number({ description: "rounded to 3 decimals (≈100 m)" }),
  media_url: Type.Null(),
  extended_attributes: Type.Optional(Type.Object({ status_code: Str, status_label: Str, timeline: Type.Array(Step) })),
});
const Created = Type.Object({ service_request_id: Str, token: Str, service_notice: Str, account_id: Type.Null() });
const TokenAnswer = Type.Object({ service_request_id: Str, token: Str });
const Discovery = Type.Object({
  changeset: Str,
  contact: Str,
  key_service: Str,
  endpoints: Type.Array(Type.Object({ specification: Str, url: Str, changeset: Str, type: Str, formats: Type.Array(Str) })),
});
const SpecErrors = Type.Array(Type.Object({ code: Type.Integer(), description: Str }));

/** A response in both formats, for the OpenAPI document (XML is the same fields as elements). */
function both(schema: TSchema) {
  return { content: { "application/json": { schema }, "text/xml": { schema: Type.String({ description: "the same, as XML" }) } } };
}
function responses(ok: TSchema, ...errors: number[]) {
  const out: Record<number, ReturnType<typeof both>> = { 200: both(ok) };
  for (const s of [400, ...errors]) out[s] = both(SpecErrors);
  return out;
}

/** XML root element of each answer (JSON is the bare array or object). */
const roots = {
  services: "services",
  definition: "service_definition",
  requests: "service_requests",
  discovery: "discovery",
  errors: "errors",
} as const;

function formatOf(req: FastifyRequest): Format {
  return /\.xml$/i.test(req.url.split("?")[0] ?? "") ? "xml" : "json";
}

function answer(reply: FastifyReply, format: Format, root: keyof typeof roots, value: unknown, status = 200): FastifyReply {
  void reply.status(status);
  if (format === "xml") return reply.type("text/xml; charset=utf-8").send(toXml(roots[root], value as XmlValue));
  return reply.type("application/json; charset=utf-8").send(value);
}

function specError(req: FastifyRequest, reply: FastifyReply, status: number, description: string): FastifyReply {
  return answer(reply, formatOf(req), "errors", [{ code: status, description }], status);
}

const Query = Type.Object(
  {
    service_request_id: Type.Optional(Str),
    service_code: Type.Optional(Str),
    start_date: Type.Optional(Str),
    end_date: Type.Optional(Str),
    status: Type.Optional(Str),
    updated_after: Type.Optional(Str),
    updated_before: Type.Optional(Str),
    page: Type.Optional(Str),
    page_size: Type.Optional(Str),
    extensions: Type.Optional(Str),
    jurisdiction_id: Type.Optional(Str),
  },
  { additionalProperties: true },
);
const ExtQuery = Type.Object({ extensions: Type.Optional(Str), jurisdiction_id: Type.Optional(Str) }, { additionalProperties: true });
const FormSchema = Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]), {
  description:
    "application/x-www-form-urlencoded: api_key, service_code, lat, long, description (≤ 4,000, no HTML), attribute[CODE] / attribute[CODE][], first_name, last_name, phone, email (not stored), media_url (stored, never fetched)",
});

/** Parses a form body: a field given once → a string, repeated → an array. */
export function parseForm(body: string): FormBody {
  const out: FormBody = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

export async function open311Routes(app: App, opts: Open311Options): Promise<void> {
  const limits = opts.limits ?? requestLimits;
  const tags = ["open311"];

  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => {
    try {
      done(null, parseForm(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

  app.setErrorHandler((err: FastifyError | AppError | Open311Error, req, reply) => {
    if (err instanceof Open311Error) return specError(req, reply, err.status, err.description);
    const lang = pickLang(req.headers["accept-language"]);
    if (err instanceof AppError) return specError(req, reply, err.status, formatMessage(err.code, lang, { ...err.params, requestId: req.id }));
    if (uniqueViolation(err)) return specError(req, reply, 409, "a concurrent request made the same change; retry");
    if (err.validation) {
      const v = err.validation[0];
      return specError(req, reply, 400, `${err.validationContext ?? "request"}${v?.instancePath ? v.instancePath.replace(/\//g, ".") : ""} ${v?.message ?? "is invalid"}`);
    }
    if (err.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return specError(req, reply, 400, "send the request as application/x-www-form-urlencoded");
    if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE") return specError(req, reply, 400, "the request body is too large");
    if (err.statusCode === 429) return specError(req, reply, 429, "too many requests; retry in a minute");
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return specError(req, reply, 400, err.message);
    req.log.error({ err }, "unhandled error");
    return specError(req, reply, 500, `internal error (request ${req.id})`);
  });

  app.setNotFoundHandler((req, reply) => specError(req, reply, 404, "no such Open311 method; see /open311/discovery.json"));

  const discovery = async (req: FastifyRequest) => {
    const changeset = isoChina((await catalogueChangeset(app.ctx.database.db)) ?? new Date(0))!;
    const base = `${req.protocol}://${req.host}`;
    return {
      changeset,
      contact: "共治 Gongzhi 平台管理员（所在区的城市运行和治理中心）",
      key_service: "API 密钥由平台管理员发放（gongzhi apikey add <用户名> --name <对接系统>）",
      // No trailing slash: clients append "/services.xml" themselves.
      endpoints: [{ specification: specificationUrl, url: `${base}/open311/v2`, changeset, type: "production", formats: [...formats] }],
    };
  };

  for (const format of ["json", "xml"] as const) {
    app.get(
      `/discovery.${format}`,
      { schema: { tags, summary: `Open311 Service Discovery (${format})`, response: responses(Discovery) } },
      async (req, reply) => answer(reply, format, "discovery", await discovery(req)),
    );

    app.get(
      `/v2/services.${format}`,
      { schema: { tags, summary: `Open311 services: sub-categories of the active catalogue (${format})`, querystring: ExtQuery, response: responses(Type.Array(Service)) } },
      async (_req, reply) => answer(reply, format, "services", (await listServices(app.ctx.database.db)).map(toService)),
    );

    app.get(
      `/v2/services/:service_code.${format}`,
      {
        schema: {
          tags,
          summary: `Open311 service definition with its attributes (${format})`,
          params: Type.Object({ service_code: Str }),
          querystring: ExtQuery,
          response: responses(Definition, 404),
        },
      },
      async (req, reply) => {
        const service = await findService(app.ctx.database.db, req.params.service_code);
        if (!service) throw new Open311Error(404, `service_code ${req.params.service_code} was not found`);
        return answer(reply, format, "definition", toServiceDefinition(service));
      },
    );

    app.post(
      `/v2/requests.${format}`,
      {
        schema: {
          tags,
          summary: `Open311: submit a service request (a case, source open311) with api_key (${format})`,
          headers: Type.Object({ "idempotency-key": Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) }),
          body: FormSchema,
          response: responses(Type.Array(Created), 403, 404, 409),
        },
      },
      async (req, reply) => {
        const form = req.body;
        const given = typeof form.api_key === "string" ? form.api_key : undefined;
        const header = req.headers["x-api-key"];
        const key = given ?? (typeof header === "string" ? header : undefined);
        if (!key) throw new Open311Error(403, "api_key is required to submit a request");
        const actor = await checkApiKey(app.ctx.database.db, key);
        if (!actor) throw new Open311Error(403, "the api_key is not valid (unknown or revoked)");
        const idempotencyKey = req.headers["idempotency-key"];
        const created = await createRequest(app.ctx.database.db, app.ctx, actor, form, typeof idempotencyKey === "string" ? { idempotencyKey } : {});
        return answer(reply, format, "requests", [created]);
      },
    );

    app.get(
      `/v2/requests.${format}`,
      {
        schema: {
          tags,
          summary: `Open311 service requests: ids, service_code, start/end_date, status; extensions updated_after/before, page/page_size, extensions=true (${format})`,
          querystring: Query,
          response: responses(Type.Array(Request)),
        },
      },
      async (req, reply) => answer(reply, format, "requests", await listRequests(app.ctx.database.db, req.query as RequestQuery, new Date(), limits)),
    );

    app.get(
      `/v2/requests/:service_request_id.${format}`,
      {
        schema: {
          tags,
          summary: `Open311: one service request, as an array of one (${format})`,
          params: Type.Object({ service_request_id: Str }),
          querystring: ExtQuery,
          response: responses(Type.Array(Request), 404),
        },
      },
      async (req, reply) =>
        answer(reply, format, "requests", await getRequest(app.ctx.database.db, req.params.service_request_id, req.query.extensions === "true")),
    );

    app.get(
      `/v2/tokens/:token.${format}`,
      {
        schema: {
          tags,
          summary: `Open311: the service request id of a token (${format})`,
          params: Type.Object({ token: Str }),
          querystring: ExtQuery,
          response: responses(Type.Array(TokenAnswer), 404),
        },
      },
      async (req, reply) => answer(reply, format, "requests", await findToken(app.ctx.database.db, req.params.token)),
    );
  }
}
