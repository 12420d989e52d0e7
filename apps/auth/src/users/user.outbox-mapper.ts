import { Topics } from '@playball/events';
import { defineOutboxMapper, event, tombstone } from '@playball/outbox';
import { User } from './user.entity';

/**
 * Which user changes other services hear of: every change that bumps the version (a display name,
 * or credentials, whose new `credentialsVersion` voids older tokens there too). They carry state,
 * never the email or password hash.
 */
export const userOutboxMapper = defineOutboxMapper<User>({
  entity: User,
  inserted: (user) => [event('playball.user.registered.v1', publicState(user))],
  updated: (user, before) =>
    user.version === before.version ? [] : [event('playball.user.updated.v1', publicState(user))],
  // The deletion is one more state change, so it gets the next version; the tombstone that follows
  // lets compaction forget the user entirely.
  removed: (user) => [
    event('playball.user.deleted.v1', { userId: user.id, version: user.version + 1 }),
    tombstone(Topics.user, user.id),
  ],
});

function publicState(user: User) {
  return {
    userId: user.id,
    displayName: user.displayName,
    version: user.version,
    credentialsVersion: user.credentialsVersion,
  };
}
