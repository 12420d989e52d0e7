import { execFileSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { kafkaBrokers, repoRoot } from './infrastructure';

// Stops and starts the broker that scripts/infra.sh manages (KAFKA_PORT / INFRA_DIR pick which one).
// Only fault and chaos suites use this; they run alone, never beside other tests.

const script = join(repoRoot, 'scripts', 'infra.sh');

function brokerAnswers(): Promise<boolean> {
  const [host, port] = kafkaBrokers[0].split(':');
  return new Promise((resolve) => {
    const socket = createConnection({ host, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Stops the broker and checks that it is down: a broker this tree's script did not start (another
 * checkout's, say) would otherwise keep running, and the fault would silently not happen.
 */
export async function stopBroker(): Promise<void> {
  execFileSync('bash', [script, 'kafka-down'], { stdio: 'inherit' });
  if (await brokerAnswers()) {
    throw new Error(
      `the broker at ${kafkaBrokers[0]} is still up: it was not started by ${script}, so no fault was injected`,
    );
  }
}

export function startBroker(): void {
  execFileSync('bash', [script, 'kafka-up'], { stdio: 'inherit' });
}
