#!/usr/bin/env node
// Generates the web app's API types (web/src/api/schema.d.ts) from the committed OpenAPI document
// (docs/openapi.json, itself checked against the routes by src/openapi.test.ts). The output is a
// build artefact, not committed: it runs before typecheck, lint and the web build, and after
// `npm run openapi:update`, so the types can never drift from the document (decision 005).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const documentFile = path.join(root, "docs/openapi.json");
const out = path.join(root, "web/src/api/schema.d.ts");

const document = JSON.parse(fs.readFileSync(documentFile, "utf8"));
const types = astToString(await openapiTS(document, { silent: true }));
const text = `// Generated from docs/openapi.json by scripts/gen-web-types.mjs (openapi-typescript); do not edit, not committed.\n\n${types}`;
// Unchanged output is not rewritten, so watchers and incremental type checks stay quiet.
if (!fs.existsSync(out) || fs.readFileSync(out, "utf8") !== text) fs.writeFileSync(out, text);
