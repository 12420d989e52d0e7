/** Boundaries (docs/design.md "Layout"): apps never import each other (ops, the operator tool, excepted); libs never import apps. */
module.exports = {
  forbidden: [
    {
      name: 'no-app-to-other-app',
      comment: 'An app talks to another app only through events and HTTP, never through its code.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/', pathNot: '^apps/ops/' },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'no-app-to-ops',
      comment:
        "apps/ops is the operator's tool: it reads each app's configuration and database through the app's own code " +
        '(so it never keeps a second copy of either), and no app may depend on it.',
      severity: 'error',
      from: { path: '^apps/(?!ops/)' },
      to: { path: '^apps/ops/' },
    },
    {
      name: 'no-lib-to-app',
      comment: 'Libraries are shared by apps and must not depend on any of them.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '\\.spec\\.ts$' },
  },
};
