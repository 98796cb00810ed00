/**
 * The committed OpenAPI document (docs/openapi.json) must match the routes' schemas, so a client
 * reading the repository sees the API as served. `npm run openapi:update` rewrites it.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildApp } from "./app.js";
import { loadConfig } from "./platform/config.js";
import type { Database } from "./platform/db/index.js";
import { packageRoot } from "./platform/paths.js";
import { generateDataKeysValue, parseDataKeys } from "./platform/pii/keys.js";

describe("OpenAPI document", () => {
  it("matches docs/openapi.json", async () => {
    // The document is generated from route schemas; no query runs, so no database is opened.
    const app = await buildApp(loadConfig({ LOG_LEVEL: "silent" }), {} as Database, { logger: false, keyring: parseDataKeys(generateDataKeysValue()) });
    await app.ready();
    const current = `${JSON.stringify(app.swagger(), null, 2)}\n`;
    await app.close();
    const file = path.join(packageRoot, "docs", "openapi.json");
    if (process.env.UPDATE_OPENAPI === "1") fs.writeFileSync(file, current);
    const committed = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    expect(committed, "docs/openapi.json is out of date: run npm run openapi:update").toBe(current);
  });
});
