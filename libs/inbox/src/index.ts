export * from './consumer-status';
export * from './errors';
export * from './event-handlers';
export * from './inbox-consumer';
export * from './apply-if-newer';
export * from './kafka-batch-context';
export * from './kafka-server';
export * from './inbox.module';
export * from './inbox-env';
import { CreateInbox1764100000001 } from './migrations/1764100000001-create-inbox';

export const inboxMigrations = [CreateInbox1764100000001];
export * from './consumer-lag';
