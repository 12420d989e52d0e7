import { DataSource } from 'typeorm';
import { Message } from 'kafkajs';
import { Topics, topicName } from '@playball/events';
import { defaultRelayOptions, KafkaOutboxPublisher, outboxMigrations, RelayThread } from '@playball/outbox';
import { BenchRow } from './bench-row';
import { brokers, createDatabase, deleteTopics, sleep, uniqueSuffix } from './support/infra';
import { BARE_PRODUCER_BATCH, bareProducer, drainOutbox, median, prebuiltRecords } from './support/outbox-load';

/**
 * Rounds of relay then baseline, alternating, each side's figure the median of its rounds. Measured
 * once each, the baseline varied from 24,475 to 32,934 records/s within an hour (27 Nov) and the
 * ratio with it; alternating rounds share the machine's hour between the two sides.
 */
const ROUNDS = 3;

async function untilLeading(relay: RelayThread): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!relay.isLeader) {
    if (Date.now() > deadline) throw new Error('the relay thread did not take the lead within 60 s');
    await sleep(50);
  }
}

function rates(values: number[]): string {
  return values.map((v) => Math.round(v).toLocaleString('en-US')).join(', ');
}

/** relay: the OutboxRelay draining a full outbox vs a bare producer sending the same records. */
export async function benchRelay({ quick }: { quick: boolean }): Promise<BenchRow[]> {
  const count = Number(process.env.BENCH_RELAY ?? (quick ? 20_000 : 100_000));
  const database = await createDatabase('relay');
  const prefix = `bench-${uniqueSuffix()}.`;
  const topic = topicName(Topics.user.name, prefix);
  const db = await new DataSource({
    type: 'postgres',
    url: database.url,
    migrations: outboxMigrations,
    extra: { max: 4 },
  }).initialize();
  const kafka = { KAFKA_BROKERS: brokers, KAFKA_CLIENT_ID: 'bench' };
  const publisher = new KafkaOutboxPublisher({ kafka, topicPrefix: prefix, partitions: 6, topics: [Topics.user] });
  try {
    await db.runMigrations();
    await publisher.ensureTopics();
    const batchSize = Number(process.env.BENCH_RELAY_BATCH ?? defaultRelayOptions.batchSize);
    const relay = new RelayThread({
      kafka,
      topicPrefix: prefix,
      partitions: 6,
      topics: [Topics.user],
      relay: { ...defaultRelayOptions, batchSize, service: 'bench', databaseUrl: database.url },
      poolSize: 3,
      statementTimeoutMs: 30_000,
      log: { service: 'bench', level: 'warn', format: 'json' },
    });
    await relay.start();
    const producer = await bareProducer(topic);
    try {
      await untilLeading(relay);
      // Both sides first send a tenth as many records unmeasured, so that neither pays for JIT
      // compilation (Node's, the broker's) inside its figure. Without it the relay, measured first,
      // varied from 15,512/s (a full run) to 27,739–29,318/s (runs of it alone minutes later).
      const warmup = Math.round(count / 10);
      await drainOutbox(db, warmup);
      await producer.send(await prebuiltRecords(db, warmup));
      const relayRates: number[] = [];
      const baselineRates: number[] = [];
      let records: Message[] | undefined;
      for (let round = 0; round < (quick ? 1 : ROUNDS); round++) {
        // The relay stays leader between its rounds, idle on its LISTEN, as it would in auth.
        relayRates.push(count / (await drainOutbox(db, count)));
        records ??= await prebuiltRecords(db, count);
        baselineRates.push(count / (await producer.send(records)));
      }
      const baseline = median(baselineRates);
      const rate = median(relayRates);
      const rounds = relayRates.length;
      return [
        {
          measure: 'relay',
          subject: `bare kafkajs producer: the same ${count} records pre-built, ${BARE_PRODUCER_BATCH} per send(), idempotent, acks=all`,
          value: Math.round(baseline),
          unit: 'events/s',
          baseline: true,
          note:
            rounds > 1 ? `median of ${rounds} rounds alternating with the relay's: ${rates(baselineRates)}` : undefined,
        },
        {
          measure: 'relay',
          subject: `the relay thread draining ${count} rows (claim, publish per partition, mark), batches of ${batchSize}`,
          value: Math.round(rate),
          unit: 'events/s',
          baseline: false,
          note:
            `${(rate / baseline).toFixed(2)}× baseline` +
            (rounds > 1 ? `; median of ${rounds} rounds: ${rates(relayRates)}` : ''),
        },
      ];
    } finally {
      await producer.close();
      await relay.stop();
    }
  } finally {
    await publisher.close();
    await db.destroy();
    await database.drop();
    await deleteTopics([topic]);
  }
}
