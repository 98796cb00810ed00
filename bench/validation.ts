/**
 * validation: request bodies checked per second by the platform's validator compiler (strict
 * types, integers held to PostgreSQL's range, then a walk refusing control characters and
 * non-finite numbers) against Fastify's default — one Ajv with coercion and no walk — on the
 * same schema and bodies, in the same run.
 *   npm run bench -- validation [seconds=3]
 *
 * The schema is the resident's report (`POST /api/cases`, read from docs/openapi.json); the bodies
 * are reports as a phone sends them: a 200-character description, a point, contact fields, three
 * photo ids and two answers to the category's questions.
 */
import fs from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import formatsModule from "ajv-formats";
import type { TSchema } from "typebox";
import { validatorCompiler } from "../src/platform/http/validation.js";
import { packageRoot } from "../src/platform/paths.js";

const seconds = Number(process.argv[2] ?? 3);
const addFormats = ((formatsModule as unknown as { default?: typeof formatsModule }).default ?? formatsModule) as unknown as (ajv: Ajv) => Ajv;

const doc = JSON.parse(fs.readFileSync(path.join(packageRoot, "docs", "openapi.json"), "utf8")) as {
  paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: TSchema }> } }>>;
};
const schema = doc.paths["/api/cases"]!.post!.requestBody.content["application/json"]!.schema;

const description = "3栋门口的垃圾桶已经两天没有清运了，天气热，味道很大，苍蝇也多。住在一楼的老人家开窗都不敢开，麻烦社区尽快联系物业或者环卫过来处理一下。".repeat(3).slice(0, 200);
const bodies = Array.from({ length: 64 }, (_, i) => ({
  categoryCode: "0102",
  description: `${description}${i}`,
  urgency: "normal",
  lng: 104.05 + i / 10_000,
  lat: 30.63 + i / 10_000,
  locationText: "玉林东路 12 号紫荆苑 3 栋门口",
  contactName: "王阿姨",
  contactPhone: "13812345678",
  photoIds: ["8d1f3c1e-5b7a-4c2e-9f1a-2b3c4d5e6f70", "9e2a4d2f-6c8b-4d3f-8a2b-3c4d5e6f7081", "af3b5e30-7d9c-4e40-9b3c-4d5e6f708192"],
  idempotencyKey: `bench-${i}`,
  attributes: { STILL_DUMPING: "yes", AMOUNT: "一车左右" },
}));

const ours = validatorCompiler({ schema, method: "POST", url: "/api/cases", httpPart: "body" }) as (data: unknown) => { error?: unknown };
const fastifyDefault = addFormats(new Ajv({ coerceTypes: "array", useDefaults: true, removeAdditional: true, allErrors: false })).compile(schema);

// Both must accept every body, or the comparison means nothing.
for (const b of bodies) {
  if (ours(structuredClone(b)).error) throw new Error("the platform's validator refuses a valid report");
  if (!fastifyDefault(structuredClone(b))) throw new Error("Fastify's default validator refuses a valid report");
}

function rate(label: string, check: (b: unknown) => unknown): number {
  // Fastify validates the freshly parsed body of each request: a copy per call, outside the timing.
  const copies = Array.from({ length: 4096 }, (_, i) => structuredClone(bodies[i % bodies.length]));
  for (let i = 0; i < 2000; i++) check(copies[i % copies.length]); // warm-up
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < end) {
    for (let i = 0; i < 256; i++) check(copies[n++ % copies.length]);
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = n / elapsed;
  console.log(`${label}: ${Math.round(perSecond).toLocaleString("en")} bodies/s (${((elapsed / n) * 1e6).toFixed(2)} µs each)`);
  return perSecond;
}

const ref = rate("Fastify default (Ajv, coercing, no walk)", (b) => fastifyDefault(b));
const our = rate("platform validator (strict, bounded, walked)", (b) => ours(b));
console.log(`validation: ${Math.round(our)} bodies/s; reference ${Math.round(ref)} bodies/s; ratio ${(our / ref).toFixed(3)}`);
