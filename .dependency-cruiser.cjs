// The layering of packages/server/src (docs/adr/0015): `npm run check:deps`.
// A "module" is a top-level folder of packages/server/src (shop, jobs, planning, ...).
const SRC = '^packages/server/src/';
// Test code may reach across modules to build fixtures; production code may not.
const TEST_CODE =
  '(\\.test\\.ts$|^packages/server/src/test/|-test-app\\.ts$|test-support\\.ts$|test-machines\\.ts$|test-shop\\.ts$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'platform-is-the-base',
      comment: 'platform/ is the base layer: it imports no domain module and not the composition root',
      severity: 'error',
      from: { path: `${SRC}platform/`, pathNot: '\\.test\\.ts$' },
      to: { path: SRC, pathNot: `${SRC}platform/` },
    },
    {
      name: 'platform-tests-stay-low',
      comment: 'platform/ tests use the test harness, never a domain module directly',
      severity: 'error',
      from: { path: `${SRC}platform/.+\\.test\\.ts$` },
      to: { path: SRC, pathNot: `${SRC}(platform|test)/` },
    },
    {
      name: 'tables-are-owned',
      comment: "only a module's own files import its tables; others call its queries or services",
      severity: 'error',
      from: { path: `${SRC}([^/]+)/`, pathNot: TEST_CODE },
      to: { path: `${SRC}.*/(tables|plan-tables)\\.ts$`, pathNot: `${SRC}$1/` },
    },
    {
      name: 'modules-do-not-import-the-root',
      comment: 'the composition root (app/, main.ts, cli.ts) builds the modules; modules never import it',
      severity: 'error',
      // bench/ entry points build whole apps, as tests do
      from: { path: SRC, pathNot: `(${SRC}(app/|bench/|main\\.ts$|cli\\.ts$)|${TEST_CODE})` },
      to: { path: `${SRC}(app/|main\\.ts$|cli\\.ts$)` },
    },
    {
      name: 'no-circular',
      comment: 'no import circles in the server (type-only imports count: they couple the files too)',
      severity: 'error',
      from: { path: SRC },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(node_modules|/dist/)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
