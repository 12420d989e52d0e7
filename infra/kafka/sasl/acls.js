#!/usr/bin/env node
// Grants each app's principal what it needs on the secured local broker, and nothing more. Run by
// scripts/infra.sh (KAFKA_SECURITY=sasl) as the super user once the broker is up; idempotent (the
// broker keeps one copy of a binding however often it is created).
//
//   auth              writes auth.user.v1 (the only principal that may), creates it with its config
//   group-management  reads auth.user.v1 in its own consumer group only; writes group-management.group.v1
//                     and its dead-letter topic auth.user.v1.<group>.dlq
//
// Names are literal, never prefixed patterns: a prefix `auth.user.v1` would also cover the
// dead-letter topic, and a group prefix would let a principal join look-alike groups.
const { readFileSync } = require('node:fs');
const {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
} = require('kafkajs');

const userTopic = 'auth.user.v1';
const groupTopic = 'group-management.group.v1';

/** The bindings, as { principal, resourceType, resourceName, operation } with kafkajs names. */
function aclPlan({ prefix = '', consumerGroup = 'group-management' } = {}) {
  const owned = ['WRITE', 'CREATE', 'DESCRIBE', 'DESCRIBE_CONFIGS'];
  const topic = (principal, name, operations) =>
    operations.map((operation) => ({ principal, resourceType: 'TOPIC', resourceName: `${prefix}${name}`, operation }));
  return [
    ...topic('User:auth', userTopic, owned),
    ...topic('User:group-management', userTopic, ['READ', 'DESCRIBE', 'DESCRIBE_CONFIGS']),
    ...topic('User:group-management', `${userTopic}.${consumerGroup}.dlq`, owned),
    ...topic('User:group-management', groupTopic, owned),
    { principal: 'User:group-management', resourceType: 'GROUP', resourceName: consumerGroup, operation: 'READ' },
  ];
}

function toAcl({ principal, resourceType, resourceName, operation }) {
  return {
    resourceType: AclResourceTypes[resourceType],
    resourceName,
    resourcePatternType: ResourcePatternTypes.LITERAL,
    principal,
    host: '*',
    operation: AclOperationTypes[operation],
    permissionType: AclPermissionTypes.ALLOW,
  };
}

async function main() {
  const env = process.env;
  const kafka = new Kafka({
    clientId: 'playball-infra-acls',
    brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    sasl: { mechanism: 'scram-sha-512', username: 'admin', password: env.KAFKA_SASL_ADMIN_PASSWORD },
    ssl: { ca: [readFileSync(env.KAFKA_SSL_CA_FILE, 'utf8')] },
    logLevel: logLevel.ERROR,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const plan = aclPlan({ prefix: env.KAFKA_TOPIC_PREFIX, consumerGroup: env.KAFKA_CONSUMER_GROUP });
    await admin.createAcls({ acl: plan.map(toAcl) });
    console.log(`[infra] ${plan.length} ACL bindings in place for User:auth and User:group-management`);
  } finally {
    await admin.disconnect();
  }
}

module.exports = { aclPlan };

if (require.main === module) {
  main().catch((error) => {
    console.error(`[infra] error: setting the ACLs failed: ${error.message}`);
    process.exit(1);
  });
}
