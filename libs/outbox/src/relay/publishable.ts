import { checkSpeaker, InvalidEventError, TopicSpec } from '@playball/events';
import { OutboxPublishRefusedError } from '../errors';
import { TOMBSTONE_TYPE } from '../outbox';
import { ClaimedRow } from '../sql/claim-batch';

/**
 * Refuses a row this service may not publish. Capture derives the topic from the event type, so
 * only a row written by other means (a script, a hand-made fix, a bug) can fail here; consumers
 * would dead-letter it anyway, and the broker's ACLs stop a topic the service does not own.
 */
export function assertPublishable(row: ClaimedRow, ownTopics: readonly TopicSpec[]): void {
  // The row holds the logical topic name; the prefix is added on the wire.
  if (!ownTopics.some((spec) => row.topic === spec.name)) {
    throw new OutboxPublishRefusedError(
      'OUTBOX.FOREIGN_TOPIC',
      `row ${row.id} is for ${row.topic}, which this service does not publish`,
    );
  }
  if (row.type === TOMBSTONE_TYPE) return;
  try {
    checkSpeaker(row.topic, row.type, row.headers.ce_source);
    if (row.headers.ce_type !== row.type) throw new InvalidEventError('EVENT.HEADER_MISMATCH', 'ce_type differs');
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    throw new OutboxPublishRefusedError(error.code, `row ${row.id}: ${error.message}`);
  }
}
