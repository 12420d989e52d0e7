// Test tiers on one runner: unit (beside the code); integration, e2e and fault (under test/).
// Integration and e2e share one broker and one PostgreSQL, brought up by the global setup.
const fs = require('node:fs');

// CHAOS_KAFKA_NODES=3 npm run test:chaos: the chaos run on the local three-node cluster, which the
// global setup starts when down (test/chaos/broker-faults.ts adds broker crashes to its schedule).
if (process.env.CHAOS_KAFKA_NODES === '3') process.env.KAFKA_NODES = '3';

const swcrc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
const base = {
  rootDir: __dirname,
  // Nest 12 packages are ESM-only; swc turns them into CommonJS like our own code.
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      {
        ...swcrc,
        swcrc: false,
        // Rewrites @playball/* at compile time, so the global setup (outside jest's resolver) sees them too.
        jsc: {
          ...swcrc.jsc,
          baseUrl: __dirname,
          paths: { '@playball/platform/*': ['libs/platform/src/*'], '@playball/*': ['libs/*/src'] },
        },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|uuid|jose)/)'],
  testEnvironment: 'node',
};
const withInfrastructure = {
  ...base,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/after-each.ts'],
};
// e2e and fault suites run the apps as processes from `nest build` output, as production does.
const withBuiltApps = { ...withInfrastructure, globalSetup: '<rootDir>/test/support/global-setup-built.ts' };

module.exports = {
  // Starting and stopping apps (consumer groups joining and leaving) takes seconds, not milliseconds.
  // A global option: jest ignores testTimeout inside a project.
  testTimeout: 60_000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'] },
    { ...withInfrastructure, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    { ...withBuiltApps, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e.ts'] },
    // Fault suites stop the shared broker or database on purpose: `npm test` runs them alone, in band.
    { ...withBuiltApps, displayName: 'fault', testMatch: ['<rootDir>/test/fault/**/*.fault.ts'] },
    // The seeded chaos workload (npm run test:chaos): minutes long, run by CI after npm test.
    { ...withBuiltApps, displayName: 'chaos', testMatch: ['<rootDir>/test/chaos/**/*.chaos.ts'] },
    // Broker faults on the three-node cluster (npm run test:cluster, KAFKA_NODES=3): minutes, alone.
    { ...withBuiltApps, displayName: 'cluster', testMatch: ['<rootDir>/test/cluster/**/*.cluster.ts'] },
  ],
};
