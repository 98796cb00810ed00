/**
 * The committed OpenAPI document (docs/openapi.json) must match the routes' schemas, so a client
 * reading the repository sees the API as served. The web app's types (web/src/api/schema.d.ts)
 * are generated from it by scripts/gen-web-types.mjs before every typecheck, lint and web build,
 * so they cannot drift. `npm run openapi:update` rewrites the document, then the types.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildApp } from "./app.js";
import { loadConfig } from "./platform/config.js";
import type { Database } from "./platform/db/index.js";
import { packageRoot } from "./platform/paths.js";
import { generateDataKeysValue, parseDataKeys } from "./platform/pii/keys.js";

const update = process.env.UPDATE_OPENAPI === "1";

/** Writes `current` over the committed file when updating, then compares them. */
function expectCommitted(relative: string, current: string): void {
  const file = path.join(packageRoot, relative);
  if (update) fs.writeFileSync(file, current);
  const committed = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  expect(committed, `${relative} is out of date: run npm run openapi:update`).toBe(current);
}

describe("OpenAPI document", () => {
  it("matches docs/openapi.json", async () => {
    // The document is generated from route schemas; no query runs, so no database is opened.
    const app = await buildApp(loadConfig({ LOG_LEVEL: "silent" }), {} as Database, { logger: false, keyring: parseDataKeys(generateDataKeysValue()) });
    await app.ready();
    const document = app.swagger();
    await app.close();
    expectCommitted("docs/openapi.json", `${JSON.stringify(document, null, 2)}\n`);
    // Building the app takes a while on a busy machine.
  }, 180_000);
});
