/**
 * Boundaries (docs/architecture.md "Boundaries"), checked by `npm run boundaries` (part of `npm run
 * check`). test/boundaries.spec.ts breaks each rule on purpose in a fixture and expects the check to fail.
 * Apps never import each other, apps/ops (the operator's tool) excepted.
 */

/**
 * Each app's slices (folders under src/), highest first: a slice may import the slices listed
 * after it, never one listed before it. The app's shell (app.module, main, config, errors,
 * database/) wires the slices together and may import any of them.
 */
const slices = {
  auth: ['users', 'tokens'],
  'group-management': ['user-events', 'groups', 'auth', 'users'],
};

const sliceRules = Object.entries(slices).flatMap(([app, order]) =>
  order.slice(1).map((slice, i) => ({
    name: `slices-one-way:${app}/${slice}`,
    comment: `In ${app}, ${slice}/ must not import ${order.slice(0, i + 1).join(', ')} (slices depend one way: ${order.join(' → ')}).`,
    severity: 'error',
    from: { path: `^apps/${app}/src/${slice}/` },
    to: { path: `^apps/${app}/src/(${order.slice(0, i + 1).join('|')})/` },
  })),
);

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
      name: 'events-imports-nothing-internal',
      comment: 'The event contract is the bottom layer: every app and lib reads it, it reads none of them.',
      severity: 'error',
      from: { path: '^libs/events/' },
      to: { path: '^(apps|libs)/', pathNot: '^libs/events/' },
    },
    {
      name: 'platform-not-outbox-or-inbox',
      comment: 'Platform is the plumbing under the outbox and the inbox; it must not depend on them.',
      severity: 'error',
      from: { path: '^libs/platform/' },
      to: { path: '^libs/(outbox|inbox)/' },
    },
    {
      name: 'outbox-not-inbox',
      comment: 'The outbox (publishing) and the inbox (consuming) are independent mechanisms.',
      severity: 'error',
      from: { path: '^libs/outbox/' },
      to: { path: '^libs/inbox/' },
    },
    {
      name: 'inbox-not-outbox',
      comment: 'The outbox (publishing) and the inbox (consuming) are independent mechanisms.',
      severity: 'error',
      from: { path: '^libs/inbox/' },
      to: { path: '^libs/outbox/' },
    },
    {
      name: 'platform-through-its-index',
      comment:
        'Outside platform, a concern is imported as @playball/platform/<concern> (its index), never by a file of it. ' +
        "One exception: the outbox relay's thread takes retry/backoff alone, as the retry index loads TypeORM.",
      severity: 'error',
      from: { pathNot: '^libs/platform/' },
      to: {
        path: '^libs/platform/src/[^/]+/',
        pathNot: ['^libs/platform/src/[^/]+/index\\.ts$', '^libs/platform/src/retry/backoff\\.ts$'],
      },
    },
    ...sliceRules,
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
