import { BaseRpcContext } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload, KafkaMessage, Producer } from 'kafkajs';
import type { ClosingSignal } from './closing-signal';

type KafkaBatchContextArgs = [
  payload: EachBatchPayload,
  consumer: Consumer,
  producer: Producer,
  closing: ClosingSignal,
];

/**
 * What an `@EventPattern` handler of InboxKafkaServer receives (`@Ctx()`): the records fetched from
 * one partition, in offset order, to hand to `Inbox.consume()`. The server commits the batch's
 * offset only after the handler resolved.
 */
export class KafkaBatchContext extends BaseRpcContext<KafkaBatchContextArgs> {
  getMessages(): KafkaMessage[] {
    return this.args[0].batch.messages;
  }

  /** The topic as on the wire, prefix included. */
  getTopic(): string {
    return this.args[0].batch.topic;
  }

  getPartition(): number {
    return this.args[0].batch.partition;
  }

  /** Keeps this member in its group; throws when the group is rebalancing. */
  getHeartbeat(): () => Promise<void> {
    return this.args[0].heartbeat;
  }

  getConsumer(): Consumer {
    return this.args[1];
  }

  /** The server's idempotent producer (acks from all in-sync replicas), for dead letters. */
  getProducer(): Producer {
    return this.args[2];
  }

  /** Whether the server has begun to close: a batch in a retry loop gives up (ClosingSignal). */
  isClosing(): boolean {
    return this.args[3].isRaised;
  }
}
