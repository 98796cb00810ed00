#!/usr/bin/env node
// Fails when a package in package-lock.json declares an `engines.node` range that excludes a Node
// version the project itself declares it runs on (the lowest version of each alternative of our
// own range, and the Node running this check). Platform binaries for other operating systems are
// skipped: npm never installs them here, and upstream sometimes lags their ranges.
import fs from "node:fs";
import path from "node:path";
import semver from "semver";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8"));
const ours = pkg.engines?.node;
if (!ours) {
  console.error("check-engines: package.json declares no engines.node");
  process.exit(1);
}
const range = new semver.Range(ours);
const versions = new Set(range.set.map((comparators) => semver.minVersion(new semver.Range(comparators.map((c) => c.value).join(" "))).version));
if (semver.satisfies(process.version, range)) versions.add(semver.clean(process.version));

const bad = [];
for (const [where, entry] of Object.entries(lock.packages ?? {})) {
  const theirs = entry.engines?.node;
  if (!where || !theirs) continue;
  if (entry.os && !entry.os.includes(process.platform)) continue;
  const excluded = [...versions].filter((v) => !semver.satisfies(v, theirs));
  if (excluded.length > 0) bad.push(`${where.replace(/^node_modules\//, "")}@${entry.version} wants node ${theirs}, which excludes ${excluded.join(", ")}`);
}
if (bad.length > 0) {
  console.error(`check-engines: the project declares node ${ours}, but:\n  ${bad.join("\n  ")}`);
  process.exit(1);
}
console.log(`check-engines: every locked package accepts node ${[...versions].join(", ")} (project range ${ours})`);
