import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { Topics } from '@playball/events';
import { BatchHandler, CloudEventOf, Inbox, inEventTrace, KafkaBatchContext } from '@playball/inbox';
import { GROUP_MANAGEMENT_CONFIG, GroupManagementConfig } from '../config';
import { RemoveMemberService } from '../groups/remove-member/remove-member.service';
import { MembershipCleanup } from './membership-cleanup';
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
    private readonly cleanup: MembershipCleanup,
    @Inject(GROUP_MANAGEMENT_CONFIG) private readonly config: GroupManagementConfig,
  ) {}

  /** A fetched batch at a time: the view takes all its states in one statement (see applyAllIfNewer). */
  @EventPattern(Topics.user.name)
  onUserEvents(@Ctx() batch: KafkaBatchContext): Promise<void> {
    return this.inbox.consumeBatch(batch, this.userEvents);
  }

  /** One object for every batch, so that the batches of a fetch share a transaction (Inbox.consumeBatch). */
  private readonly userEvents: BatchHandler<(typeof userEvents)[number]> = {
    types: userEvents,
    apply: async (events, manager) => {
      const changed = await this.users.apply(manager, events.map(userState));
      const deletions = events.filter((e, i) => changed[i] && e.type === 'playball.user.deleted.v1');
      const batchSize = this.config.USER_DELETION_BATCH_SIZE;
      const members = await this.members.lockGroupsOf(
        manager,
        deletions.map((e) => e.subject),
        batchSize,
      );
      // A deleted user's first batch of memberships goes in the same transaction as the
      // tombstone, each group's events in the trace of the deletion that caused them; the rest,
      // if any, in the background (MembershipCleanup), so the partition keeps moving.
      for (const event of deletions) {
        if (!members.has(event.subject.toLowerCase())) continue;
        await inEventTrace(event, async () => {
          if (await this.members.removeDeletedUser(manager, event.subject, batchSize)) {
            await this.cleanup.enqueue(manager, event.subject, event.traceparent);
          }
        });
      }
    },
  };
}

function userState(event: UserEvent): UserState {
  const { userId, version } = event.data;
  // A deletion voids every token. An event from an auth that predates the field says nothing: 1, the
  // floor, which never lowers the view's value (UserViewService.apply keeps the greater).
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
