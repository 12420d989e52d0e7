import { DataSource } from 'typeorm';
import { Message } from 'kafkajs';
import { Topics, topicName } from '@playball/events';
import { defaultRelayOptions, KafkaOutboxPublisher, outboxMigrations, RelayThread } from '@playball/outbox';
import { BenchRow } from './bench-row';
import { until } from '../test/support/eventually';
import { brokers, createDatabase, deleteTopics, uniqueSuffix } from './support/infra';
import { BARE_PRODUCER_BATCH, BareProducer, bareProducer, drainOutbox, prebuiltRecords } from './support/outbox-load';
import { alternate, median, ROUNDS } from './support/rounds';

async function untilLeading(relay: RelayThread): Promise<void> {
  await until('the relay thread to take the lead', () => (relay.isLeader ? true : undefined), 60_000);
}

function formatRates(values: number[]): string {
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
    let producer: BareProducer | undefined;
    try {
      producer = await bareProducer(topic);
      await untilLeading(relay);
      // Both sides first send a tenth as many records unmeasured, so that neither pays for JIT
      // compilation (Node's, the broker's) inside its figure. Without it the relay, measured first,
      // varied from 15,512/s (a full run) to 27,739–29,318/s (runs of it alone minutes later).
      const warmup = Math.round(count / 10);
      await drainOutbox(db, warmup);
      await producer.send(await prebuiltRecords(db, warmup));
      const bare = producer;
      let records: Message[] | undefined;
      const rounds = quick ? 1 : ROUNDS;
      const { measured, baselines, ratio } = await alternate(
        rounds,
        // The relay stays leader between its rounds, idle on its LISTEN, as it would in auth.
        async () => count / (await drainOutbox(db, count)),
        async () => {
          // The first round drains before it sends (alternate): those rows are the records.
          records ??= await prebuiltRecords(db, count);
          return count / (await bare.send(records));
        },
        (rate) => rate,
      );
      const roundsNote = (rates: number[]) =>
        rounds > 1 ? `median of ${rounds} alternating rounds: ${formatRates(rates)}` : undefined;
      return [
        {
          measure: 'relay',
          subject: `bare kafkajs producer: the same ${count} records pre-built, ${BARE_PRODUCER_BATCH} per send(), idempotent, acks=all`,
          value: Math.round(median(baselines)),
          unit: 'events/s',
          baseline: true,
          note: roundsNote(baselines),
        },
        {
          measure: 'relay',
          subject: `the relay thread draining ${count} rows (claim, publish per partition, mark), batches of ${batchSize}`,
          value: Math.round(median(measured)),
          unit: 'events/s',
          baseline: false,
          note: [`${ratio.toFixed(2)}× baseline (the median of each round's ratio)`, roundsNote(measured)]
            .filter(Boolean)
            .join('; '),
        },
      ];
    } finally {
      await producer?.close();
      await relay.stop();
    }
  } finally {
    await publisher.close();
    await db.destroy();
    await database.drop();
    await deleteTopics([topic]);
  }
}
