export * from './consumer-status';
export * from './errors';
export * from './event-handlers';
export * from './inbox-consumer';
export * from './apply-if-newer';
export * from './kafka-batch-context';
export * from './kafka-server';
export * from './inbox.module';
export * from './dead-letters';
export * from './inbox-env';
import { CreateInbox1764100000001 } from './migrations/1764100000001-create-inbox';
import { CreateDeadLetterReplays1764100000002 } from './migrations/1764100000002-create-dead-letter-replays';

export const inboxMigrations = [CreateInbox1764100000001, CreateDeadLetterReplays1764100000002];
export * from './sql/dead-letter-replays';
export * from './consumer-lag';
