import { Module } from '@nestjs/common';
import { DlqCommandGroup, DlqListCommand, DlqReplayCommand, DlqShowCommand } from './dlq/dlq.command';
import { InboxCommand, InboxStatusCommand } from './inbox/inbox-status.command';
import { OutboxCommand, OutboxStatusCommand } from './outbox/outbox-status.command';
import { UsersCommand, UsersRebuildCommand } from './users/users-rebuild.command';

@Module({
  providers: [
    OutboxCommand,
    OutboxStatusCommand,
    InboxCommand,
    InboxStatusCommand,
    DlqCommandGroup,
    DlqListCommand,
    DlqShowCommand,
    DlqReplayCommand,
    UsersCommand,
    UsersRebuildCommand,
  ],
})
export class OpsModule {}
