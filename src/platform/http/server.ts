/**
 * The HTTP plumbing: Fastify with TypeBox validation, one error shape in the request's language,
 * request ids, structured logs without personal data, rate limits, security headers, OpenAPI at
 * /docs, and the built web app served from the same process.
 */
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { packageRoot } from "../paths.js";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import cookie from "@fastify/cookie";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import fastifyStatic from "@fastify/static";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { AppError, codeOfUniqueViolation, formatMessage, pickLang, type ErrorBody, type ErrorCode } from "../errors.js";
import type { AppContext } from "./context.js";
import { TabularError } from "../tabular/errors.js";
import { validatorCompiler } from "./validation.js";
import { tileOrigins } from "../map/tiles.js";
import { sharedSchemas } from "./schemas.js";
import { causeChain, errorSerializers } from "../log.js";

export const webRoot = path.join(packageRoot, "dist", "web");

export type App = FastifyInstance<
  import("node:http").Server,
  import("node:http").IncomingMessage,
  import("node:http").ServerResponse,
  import("fastify").FastifyBaseLogger,
  TypeBoxTypeProvider
>;

const requestIdPattern = /^[A-Za-z0-9._-]{8,64}$/;

function errorBody(req: FastifyRequest, code: ErrorCode, params: AppError["params"], field?: string): ErrorBody {
  const lang = pickLang(req.headers["accept-language"]);
  return { code, message: formatMessage(code, lang, { ...params, requestId: req.id }), ...(field ? { field } : {}), requestId: req.id };
}

/** Maps Ajv's validation errors to our shape: the first failing field and a short detail. */
function validationField(err: FastifyError): { field: string | undefined; detail: string } {
  const v = err.validation?.[0];
  if (!v) return { field: undefined, detail: err.message };
  const params: Record<string, unknown> = v.params;
  const missing = typeof params.missingProperty === "string" ? params.missingProperty : undefined;
  const extra = typeof params.additionalProperty === "string" ? params.additionalProperty : undefined;
  const fromPath = v.instancePath.replace(/^\//, "").replace(/\//g, ".");
  const field = missing ?? extra ?? (fromPath !== "" ? fromPath : undefined);
  const where = err.validationContext ?? "body";
  return { field, detail: `${where}${field ? `.${field}` : ""} ${v.message ?? "is invalid"}` };
}

export interface ServerOptions {
  logger?: boolean;
  /** Where log lines go instead of standard output (tests read them). */
  logStream?: { write(line: string): void };
  /** Path prefixes under which a run of slashes reads as one (modules' `collapseSlashes`). */
  collapseSlashesUnder?: readonly string[];
}

/**
 * The URL with each run of slashes in its path read as one, when the path lies under one of
 * `prefixes` (`/open311/v2//services.xml` → `/open311/v2/services.xml`); any other URL as it came.
 * Only literal slashes in the path change — not the query, not `%2F`, no dot segments resolved —
 * so nothing becomes routable that a single-slash path would not reach. Fastify's own
 * `ignoreDuplicateSlashes` cannot be scoped to a prefix, and /api keeps exact paths.
 */
export function collapseSlashes(url: string, prefixes: readonly string[]): string {
  const q = url.indexOf("?");
  const path = q === -1 ? url : url.slice(0, q);
  if (!path.includes("//") || !prefixes.some((p) => path.startsWith(`${p}/`))) return url;
  return path.replace(/\/{2,}/g, "/") + (q === -1 ? "" : url.slice(q));
}

export async function buildServer(ctx: AppContext, opts: ServerOptions = {}): Promise<App> {
  const app = Fastify({
    logger:
      opts.logger === false || ctx.config.logLevel === "silent"
        ? false
        : {
            level: ctx.config.logLevel,
            ...(opts.logStream ? { stream: opts.logStream } : {}),
            // No personal data in logs: the path without its query string, no headers, no bodies,
            // and errors reduced to their kind, codes and statement name (src/platform/log.ts).
            serializers: {
              req: (req: FastifyRequest) => ({ method: req.method, path: req.url.split("?")[0], id: req.id }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
              ...errorSerializers,
            },
          },
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && requestIdPattern.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    // Before routing, so route matching itself stays exact.
    ...(opts.collapseSlashesUnder?.length ? { rewriteUrl: (req: { url?: string }) => collapseSlashes(req.url ?? "/", opts.collapseSlashesUnder!) } : {}),
    trustProxy: false,
    // A path Fastify cannot route (bad percent-encoding, a parameter over 100 characters) is bad
    // input like any other: 400 in the one error shape, not Fastify's own body. The path is not echoed.
    frameworkErrors: (err, req, reply) => {
      const detail = err.code === "FST_ERR_MAX_PARAM_LENGTH" ? "a path parameter is too long" : "the path is not valid";
      // Sent before any hook, so the request id header is set here.
      void (reply as FastifyReply).status(400).header("x-request-id", req.id).send(errorBody(req, "validation_failed", { detail }));
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Strict bodies, coerced query strings and paths, finite bounded numbers, no control characters.
  app.setValidatorCompiler(validatorCompiler);

  // Shared schemas, referenced by $id from route schemas and named once in the OpenAPI document.
  for (const schema of sharedSchemas()) app.addSchema(schema);
  app.decorate("ctx", ctx);
  app.decorateRequest("actor", null);

  app.addHook("onSend", async (req, reply) => {
    void reply.header("x-request-id", req.id);
  });

  // Map tiles only from the configured provider's hosts, and only when one is configured.
  const imgSrc = ["'self'", "data:", "blob:", ...tileOrigins(ctx.config.mapTiles)];
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Ant Design injects its styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc,
        connectSrc: ["'self'"],
        fontSrc: ["'self'", "data:"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        // Only behind HTTPS: on a plain-HTTP intranet it would send every asset request to https://.
        upgradeInsecureRequests: ctx.config.https ? [] : null,
      },
    },
    // Only behind HTTPS: a browser that saw it over plain HTTP ignores it, and over a TLS proxy
    // that is later removed it would lock users out for a year.
    strictTransportSecurity: ctx.config.https,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: true,
    max: ctx.config.rateLimitPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (req, context) => {
      const retry = Math.ceil(context.ttl / 1000);
      return Object.assign(new AppError("rate_limited", { retry }), { statusCode: 429 });
    },
  });

  await app.register(swagger, {
    // Shared schemas keep their $id as their component name (#/components/schemas/Error).
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === "string" ? json.$id : `def-${i}`) },
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Gongzhi 共治 API",
        description:
          "Community governance platform. Web clients authenticate with the session cookie and send `x-csrf-token` on writes; machine clients send `Authorization: Bearer <api key>`. Errors: `{ code, message, field?, requestId }`, message in zh-CN or en by `Accept-Language`. Input rules on every route: JSON bodies are validated strictly (no type coercion; query strings and path parameters are coerced from text); text may not contain C0 control characters other than tab, line feed and carriage return; numbers must be finite, and an integer without stated bounds must lie within −2147483648…2147483647. A breach answers 400 `validation_failed` naming the field.",
        version: ctx.version,
      },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "gz_session" },
          apiKey: { type: "http", scheme: "bearer" },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs", staticCSP: true });

  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof TabularError) {
      // File-level import errors carry their own zh-CN message (naming rows and columns, never values).
      return reply.status(err.status).send({ code: err.code, message: err.message, requestId: req.id, ...(err.details.issues ? { issues: err.details.issues } : {}) });
    }
    if (err instanceof AppError) {
      if (err.code === "rate_limited") void reply.header("retry-after", String(typeof err.params.retry === "number" ? err.params.retry : 60));
      return reply.status(err.status).send(errorBody(req, err.code, err.params, err.field));
    }
    const unique = uniqueViolation(err);
    if (unique) {
      // A race the service checks could not see (two requests at once): 409, never 500.
      const own = codeOfUniqueViolation(unique);
      return reply.status(409).send(own ? errorBody(req, own, {}) : errorBody(req, "conflict", { detail: unique }));
    }
    if (err.validation) {
      const { field, detail } = validationField(err);
      return reply.status(400).send(errorBody(req, "validation_failed", { detail }, field));
    }
    if (err.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return reply.status(415).send(errorBody(req, "unsupported_media_type", {}));
    if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE") return reply.status(413).send(errorBody(req, "payload_too_large", {}));
    if (err.code === "FST_ERR_CTP_EMPTY_JSON_BODY" || err.code === "FST_ERR_CTP_INVALID_JSON_BODY" || (err instanceof SyntaxError && err.statusCode === 400)) {
      return reply.status(400).send(errorBody(req, "invalid_json", {}));
    }
    if (err.statusCode === 429) return reply.status(429).send(errorBody(req, "rate_limited", { retry: 60 }));
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.status(400).send(errorBody(req, "validation_failed", { detail: err.message }));
    }
    req.log.error({ err }, "unhandled error");
    return reply.status(500).send(errorBody(req, "internal_error", {}));
  });

  const hasWeb = fs.existsSync(path.join(webRoot, "index.html"));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: false });
  }
  app.setNotFoundHandler((req, reply) => {
    const p = req.url.split("?")[0] ?? "";
    // Missing API routes and missing built assets are 404s, not the app page.
    const isApi = p.startsWith("/api/") || p.startsWith("/open311/") || p.startsWith("/docs") || p.startsWith("/assets/");
    if (!isApi && hasWeb && (req.method === "GET" || req.method === "HEAD")) {
      return reply.type("text/html; charset=utf-8").sendFile("index.html");
    }
    return reply.status(404).send(errorBody(req, "route_not_found", {}));
  });

  return app;
}

/** The constraint name of a PostgreSQL unique violation (SQLSTATE 23505), looking through wrappers such as Drizzle's query error. */
export function uniqueViolation(err: unknown): string | null {
  for (const { code, constraint } of causeChain(err)) {
    if (code === "23505") return typeof constraint === "string" ? constraint : "unique";
  }
  return null;
}
