import { Topics, topicName } from '@playball/events';
import { assertThreeNodeCluster, busiestPartition, leaderOf, node, waitForFullIsr } from '../support/cluster';
import { eventually } from '../support/eventually';
import { System } from '../support/system';

/** CHAOS_KAFKA_NODES=3: the run is against the three-node cluster (jest.config.js starts it). */
export const onCluster = process.env.CHAOS_KAFKA_NODES === '3';

/**
 * On the cluster, the schedule gains two broker crashes: the leader of the user topic's busiest
 * partition is SIGKILLed and restarted at once (as a supervisor would), at about a quarter and at
 * about two thirds of the run, between the faults already scheduled there. Nothing on one broker.
 */
export function brokerKills(durationMs: number): { atMs: number; name: string; run(system: System): Promise<void> }[] {
  if (!onCluster) return [];
  return [0.26, 0.62].map((fraction, i) => ({
    atMs: Math.floor(durationMs * fraction),
    name: `Kafka partition leader SIGKILL #${i + 1}`,
    run: async (system: System) => {
      // After the scheduled whole-cluster restart, nodes re-register over some seconds: a node is
      // killed only when all three are back and in sync, the failure replication 3/2 is built for.
      await eventually(assertThreeNodeCluster, 60_000, 500);
      const topic = topicName(Topics.user.name, system.prefix);
      await waitForFullIsr([topic]);
      const victim = await leaderOf(topic, await busiestPartition(topic));
      node('kill', victim);
      node('start', victim);
    },
  }));
}
