import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { kafkaBrokers, repoRoot } from './infrastructure';
import { eventually } from './eventually';
import { withAdmin } from './kafka';

// The nodes of the three-node cluster that scripts/infra.sh runs (KAFKA_NODES=3); node ids are the
// script's node numbers. Only the cluster suites use this, alone, never beside other tests.

const script = join(repoRoot, 'scripts', 'infra.sh');

/** Fails unless KAFKA_BROKERS reaches a cluster of three: a fault on one broker would prove nothing. */
export async function assertThreeNodeCluster(): Promise<void> {
  const { brokers } = await withAdmin((admin) => admin.describeCluster());
  if (brokers.length !== 3) {
    throw new Error(
      `KAFKA_BROKERS (${kafkaBrokers.join(',')}) reaches ${brokers.length} broker(s), not the three-node cluster: ` +
        'run with KAFKA_NODES=3 and KAFKA_BROKERS=127.0.0.1:29092,127.0.0.1:29093,127.0.0.1:29094 (npm run test:cluster)',
    );
  }
}

/** The node leading a partition of the topic now. */
export async function leaderOf(topic: string, partition: number): Promise<number> {
  const { topics } = await withAdmin((admin) => admin.fetchTopicMetadata({ topics: [topic] }));
  return topics[0].partitions.find((p) => p.partitionId === partition)!.leader;
}

/** The partition of the topic that holds the most records so far. */
export async function busiestPartition(topic: string): Promise<number> {
  const offsets = await withAdmin((admin) => admin.fetchTopicOffsets(topic));
  return offsets.reduce((a, b) => (Number(b.high) > Number(a.high) ? b : a)).partition;
}

/** `kill` is SIGKILL (a crash); `stop` a clean SIGTERM; both resolve once the process is gone. */
export function node(action: 'kill' | 'stop' | 'start', id: number): void {
  execFileSync('bash', [script, 'node', action, String(id)], {
    stdio: 'inherit',
    env: { ...process.env, KAFKA_NODES: '3' },
  });
}

/** Waits until every partition of the topics has all its replicas in sync again. */
export async function waitForFullIsr(topics: string[], timeoutMs = 60_000): Promise<void> {
  await eventually(async () => {
    const metadata = await withAdmin((admin) => admin.fetchTopicMetadata({ topics }));
    const behind = metadata.topics.flatMap((t) => t.partitions.filter((p) => p.isr.length < p.replicas.length));
    if (behind.length > 0) throw new Error(`${behind.length} partitions have replicas out of sync`);
  }, timeoutMs);
}
