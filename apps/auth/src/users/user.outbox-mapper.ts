import { Topics } from '@playball/events';
import { defineOutboxMapper, event, tombstone } from '@playball/outbox';
import { User } from './user.entity';

/**
 * Which user changes other services hear of. They carry state (display name and version), never
 * the email or password hash: email and password changes publish nothing.
 */
export const userOutboxMapper = defineOutboxMapper<User>({
  entity: User,
  inserted: (user) => [
    event('playball.user.registered.v1', { userId: user.id, displayName: user.displayName, version: user.version }),
  ],
  updated: (user, before) =>
    user.displayName === before.displayName
      ? []
      : [event('playball.user.updated.v1', { userId: user.id, displayName: user.displayName, version: user.version })],
  // The deletion is one more state change, so it gets the next version; the tombstone that follows
  // lets compaction forget the user entirely.
  removed: (user) => [
    event('playball.user.deleted.v1', { userId: user.id, version: user.version + 1 }),
    tombstone(Topics.user, user.id),
  ],
});
