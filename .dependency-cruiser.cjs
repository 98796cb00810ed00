/**
 * The walls between modules (docs/decisions/007-module-walls.md), checked by `npm run lint`.
 * Test files are outside the walls: a test may build fixtures from any module's internals.
 *
 * Known violations that remain are listed in .dependency-cruiser-known-violations.json (read with
 * --ignore-known): each must go, none may be added. Regenerate it only when removing entries:
 *   npx depcruise src --config .dependency-cruiser.cjs --output-type baseline > .dependency-cruiser-known-violations.json
 */
/** Folders of src/modules not held to the walls: none since demo and ledgers moved to src/tools. */
const notYetHeld = "^src/modules/(?!)";
const tests = "\\.test\\.ts$";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "platform-imports-module",
      severity: "error",
      comment: "src/platform is below the modules: it may not import any of them (declare an interface in platform and let the module augment or implement it).",
      from: { path: "^src/platform/", pathNot: tests },
      to: { path: "^src/modules/" },
    },
    {
      name: "module-internals",
      severity: "error",
      comment: "A module is reached only through its index.ts (public functions, policies, event types) — never its schema.ts or any other file.",
      from: { path: "^src/modules/([^/]+)/", pathNot: [tests, notYetHeld] },
      to: { path: "^src/modules/", pathNot: ["^src/modules/$1/", "^src/modules/[^/]+/index\\.ts$"] },
    },
    {
      name: "root-reaches-module-internals",
      severity: "error",
      comment: "The composition root (app.ts, cli.ts) and the tools reach a module through its index.ts and its GongzhiModule (routes, errors, configure, prepare, jobs) — src/schema.ts, the drizzle-kit aggregate, excepted.",
      from: { path: ["^src/[^/]+\\.ts$", "^src/tools/"], pathNot: [tests, "^src/schema\\.ts$"] },
      to: { path: "^src/modules/[^/]+/", pathNot: "^src/modules/[^/]+/index\\.ts$" },
    },
    {
      name: "module-cycle",
      severity: "error",
      comment: "Modules form a hierarchy (areas ← places ← people ← orgs ← cases ← open311): no import cycle may pass through two modules. Break it with an event or by moving the shared piece to its owner.",
      from: { path: "^src/modules/([^/]+)/", pathNot: [tests, notYetHeld] },
      to: { circular: true, viaSomeNot: "^src/modules/$1/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["^web/", "^bench/", "^dist/"] },
    // Type-only imports count: a type from another module's internals is a wall crossed too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    // .js specifiers resolve to the .ts files (NodeNext).
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
