export * from './outbox';
export * from './capture/outbox-mapper';
export * from './capture/outbox.subscriber';
export { lockForChange } from './capture/row-locks';
export * from './errors';
export * from './relay/outbox-relay';
export * from './relay/kafka-publisher';
export { RelayThread } from './relay/relay-thread';
export type { RelayThreadSettings } from './relay/relay-messages';
export * from './outbox.module';
export * from './outbox-env';
export { backlog } from './sql/backlog';
export type { Backlog } from './sql/backlog';
export type { ClaimedRow } from './sql/claim-batch';
import { CreateOutbox1764100000000 } from './migrations/1764100000000-create-outbox';

export const outboxMigrations = [CreateOutbox1764100000000];
export { relayLockKey, relayStatus } from './sql/relay-status';
export type { FailingRow, RelaySession, RelayStatus } from './sql/relay-status';
