import { Controller } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { Topics } from '@playball/events';
import { CloudEventOf, Inbox, KafkaBatchContext } from '@playball/inbox';
import { runInTrace } from '@playball/platform/observability';
import { RemoveMemberService } from '../groups/remove-member/remove-member.service';
import { UserState, UserViewService } from '../users/user-view.service';

const userEvents = ['playball.user.registered.v1', 'playball.user.updated.v1', 'playball.user.deleted.v1'] as const;
type UserEvent = CloudEventOf<(typeof userEvents)[number]>;

/** Keeps the user view in step with auth: the Kafka twin of an HTTP controller, just as thin. */
@Controller()
export class UserEventsConsumer {
  constructor(
    private readonly inbox: Inbox,
    private readonly users: UserViewService,
    private readonly members: RemoveMemberService,
  ) {}

  /** A fetched batch at a time: the view takes all its states in one statement (see applyAllIfNewer). */
  @EventPattern(Topics.user.name)
  onUserEvents(@Ctx() batch: KafkaBatchContext): Promise<void> {
    return this.inbox.consumeBatch(batch, {
      types: userEvents,
      apply: async (events, manager) => {
        const changed = await this.users.apply(manager, events.map(userState));
        const deletions = events.filter((e, i) => changed[i] && e.type === 'playball.user.deleted.v1');
        const members = await this.members.lockGroupsOf(
          manager,
          deletions.map((e) => e.subject),
        );
        // A deleted user's memberships go in the same transaction as the tombstone, each group's
        // events in the trace of the deletion that caused them.
        for (const event of deletions) {
          if (!members.has(event.subject.toLowerCase())) continue;
          await runInTrace(event.traceparent, () => this.members.removeDeletedUser(manager, event.subject));
        }
      },
    });
  }
}

function userState(event: UserEvent): UserState {
  const { userId, version } = event.data;
  // A deletion voids every token; an event from an auth that predates the field means no change yet (1).
  return event.type === 'playball.user.deleted.v1'
    ? { userId, version, displayName: null, credentialsVersion: version, deleted: true }
    : {
        userId,
        version,
        displayName: event.data.displayName,
        credentialsVersion: event.data.credentialsVersion ?? 1,
        deleted: false,
      };
}
