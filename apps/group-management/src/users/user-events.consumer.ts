import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Topics } from '@playball/events';
import { Inbox } from '@playball/inbox';
import { RemoveMemberService } from '../groups/remove-member/remove-member.service';
import { UserViewService } from './user-view.service';

/** Keeps the user view in step with auth: the Kafka twin of an HTTP controller, just as thin. */
@Controller()
export class UserEventsConsumer {
  constructor(
    private readonly inbox: Inbox,
    private readonly users: UserViewService,
    private readonly members: RemoveMemberService,
  ) {}

  @EventPattern(Topics.user.name)
  onUserEvent(@Ctx() context: KafkaContext): Promise<void> {
    return this.inbox.consume(context, {
      'playball.user.registered.v1': async (event, manager) => void (await this.users.upsert(manager, event.data)),
      'playball.user.updated.v1': async (event, manager) => void (await this.users.upsert(manager, event.data)),
      // The user's memberships go in the same transaction as the tombstone, each with its event.
      'playball.user.deleted.v1': async (event, manager) => {
        if (await this.users.markDeleted(manager, event.data)) {
          await this.members.removeDeletedUser(manager, event.data.userId);
        }
      },
    });
  }
}
