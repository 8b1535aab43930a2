// The house rules from DESIGN (issue 14), checked by `npm run check:architecture`
// (scripts/check-architecture.ts), which also checks the two rules dependency-cruiser cannot express with
// exceptions: no-feature-cycles (see below) and features-in-order (scripts/architecture/feature-order.json). The code passes every rule: architecture-exceptions.json is empty
// and should stay so (an entry is a known violation, listed only while a new rule is being switched on). A
// violation that is not listed there fails `npm test`.
//
// Layers, imports go down only:
//   src/app.ts → src/faces/ → src/features/* → src/vocabulary/, src/rules/, src/platform/ → nothing.
//
// no-feature-cycles (in scripts/check-architecture.ts, not here): no circular dependency between feature
// folders, src/features/A → … → src/features/A through other features. dependency-cruiser's `circular` is
// per file, and its folder-level violations cannot be listed as known exceptions, so the script works out
// the feature graph's strongly connected components from this cruise and fails on any feature-to-feature
// import inside a cycle that is not in architecture-exceptions.json.

/** Test code may reach anywhere: it is never on the "from" side of a rule. */
const TESTS = [
  "\\.test\\.ts$",
  "\\.fixture\\.ts$",
  "\\.arbitrary\\.ts$",
  "\\.table\\.ts$",
  "^test/",
  "^e2e/",
  "(^|/)fixtures/",
];

/** A feature's SQL and table types: repository.ts, repository-*.ts, *-repository.ts and tables.ts. */
const REPOSITORY_OR_TABLES = "^src/features/[^/]+/(repository[^/]*|[^/]+-repository|tables)\\.ts$";

/** What a *.calc.ts may import: nothing that does I/O or reads the clock. */
const PURE = [
  "\\.calc\\.ts$",
  // A feature's Zod schemas are pure too (schemas-are-pure checks it), so a calc may use the types they define.
  "^src/features/[^/]+/schemas\\.ts$",
  "^src/platform/validation\\.ts$",
  // The CLD row's type and column order: words only, shared by the return's calcs (issue 15).
  "^src/features/reports/cld-record\\.ts$",
  "^src/rules/",
  "^src/vocabulary/",
  "^src/platform/money/",
  "^src/platform/dates/",
  // Text in, text out: a calc may write its CSV with the one writer (and its spreadsheet-formula guard).
  "^src/platform/csv/",
  "(^|/)node_modules/zod/",
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      // A cycle of files can't be read, tested or moved one file at a time, and makes load order matter.
      name: "no-file-cycles",
      comment:
        "These files import each other in a circle. Move what both need into a third module that both import " +
        "(a *.calc.ts, vocabulary/ or platform/), or pass it in as an argument.",
      severity: "error",
      from: { path: "^src/", pathNot: TESTS },
      to: { circular: true, viaOnly: { pathNot: TESTS } },
    },
    {
      // A feature's tables are its own: other code going behind its back to the SQL makes the tables
      // impossible to change without reading the whole code base.
      name: "no-foreign-repository",
      comment:
        "Only the feature that owns a repository (or tables.ts) may import it. Call that feature's service.ts " +
        "(or api.ts) instead; src/platform/db/schema.ts may aggregate table types for Kysely's DB.",
      severity: "error",
      from: {
        path: "^(?:src/features/([^/]+)/|src/|bench/|scripts/)",
        pathNot: [...TESTS, "^src/platform/db/schema\\.ts$"],
      },
      to: { path: REPOSITORY_OR_TABLES, pathNot: "^src/features/$1/" },
    },
    {
      // A calculation that may do I/O or read the clock can't be tested with plain values.
      name: "calcs-are-pure",
      comment:
        "A *.calc.ts may import only other *.calc.ts, src/rules/, src/vocabulary/, src/platform/money/, " +
        "src/platform/dates/, src/platform/csv/ and zod. Pass the data (and today's date) in as arguments, and move shared " +
        "types or constants to src/vocabulary/ or a *.calc.ts.",
      severity: "error",
      from: { path: "\\.calc\\.ts$", pathNot: TESTS },
      to: { pathNot: PURE },
    },
    {
      // The schemas define the words pages, API, CLI and calcs share: no I/O, no clock, like a calc.
      name: "schemas-are-pure",
      comment:
        "A feature's schemas.ts may import only what a *.calc.ts may (calcs, other schemas, src/rules/, " +
        "src/vocabulary/, pure platform modules and zod). Move anything else out of it.",
      severity: "error",
      from: { path: "^src/features/[^/]+/schemas\\.ts$" },
      to: { pathNot: PURE },
    },
    {
      // Faces are pages over several features; only the app mounts them.
      name: "faces-only-from-app",
      comment:
        "Nothing but src/app.ts (and files of the same face) imports a face. Move what you need from the face " +
        "down into a feature, vocabulary/ or platform/, and import it from there.",
      severity: "error",
      from: { path: "^(?:src/faces/([^/]+)/|src/|bench/|scripts/)", pathNot: [...TESTS, "^src/app\\.ts$"] },
      to: { path: "^src/faces/", pathNot: "^src/faces/$1/" },
    },
    {
      // Imports go down only: the lower layers must be usable without any feature.
      name: "platform-is-below-features",
      comment:
        "platform/, vocabulary/ and rules/ are below the features and may not import a feature or a face. " +
        "Move the shared piece down (into vocabulary/ or platform/) or have the feature pass it in.",
      severity: "error",
      from: { path: "^src/(platform|vocabulary|rules)/", pathNot: TESTS },
      to: { path: "^src/(features|faces)/" },
    },
    {
      // A council's rules depend on its jurisdiction and the date: an import of England's file would hand a Welsh
      // or Scottish council England's rules without anyone noticing.
      name: "rules-through-registry",
      comment:
        "Only src/rules/ (and tests) may import a jurisdiction's files (src/rules/england|wales|scotland|uk/). " +
        "Ask src/rules/registry.ts: rulesFor(jurisdiction, date) for a council's rules, its exports for the " +
        "shapes and the UK-wide tables; a *.calc.ts takes the rules as an argument.",
      severity: "error",
      from: { pathNot: ["^src/rules/", ...TESTS] },
      to: { path: "^src/rules/(england|wales|scotland|uk)/" },
    },
    {
      // The shared words (types, constants and the Zod schemas that define them) have to stay cheap to import
      // from anywhere; pence is money's own word, so their messages may show amounts.
      name: "vocabulary-is-words",
      comment:
        "src/vocabulary/ holds types, constants and the Zod schemas that define them: it may import zod, " +
        "src/platform/money/pence.ts and other vocabulary files. Put logic in a feature's *.calc.ts or in platform/.",
      severity: "error",
      from: { path: "^src/vocabulary/", pathNot: TESTS },
      to: { pathNot: ["^src/vocabulary/", "^src/platform/money/pence\\.ts$", "(^|/)node_modules/zod/"] },
    },
  ],
  options: {
    // TypeScript is parsed with swc (TypeScript 7.0 has no JavaScript API that dependency-cruiser can use).
    parser: "swc",
    // Count `import type` too: a type-only import still ties one module to another.
    tsPreCompilationDeps: true,
    // `#/…` imports are resolved through package.json "imports" (#/* → ./src/*) out of the box.
    enhancedResolveOptions: {
      extensions: [".ts", ".js", ".mjs", ".cjs", ".json"],
      conditionNames: ["import", "require", "node", "default", "types"],
      exportsFields: ["exports"],
      mainFields: ["module", "main", "types", "typings"],
    },
    doNotFollow: { path: "(^|/)node_modules/" },
    exclude: { path: "\\.njk$" },
  },
};
