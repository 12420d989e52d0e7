import { Module } from '@nestjs/common';
import { OutboxCommand, OutboxStatusCommand } from './outbox/outbox-status.command';

@Module({
  providers: [OutboxCommand, OutboxStatusCommand],
})
export class OpsModule {}
