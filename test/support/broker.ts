import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './infrastructure';

// Stops and starts the broker that scripts/infra.sh manages (KAFKA_PORT / INFRA_DIR pick which one).
// Only fault suites use this; they run alone (jest project `fault`, in band), never beside other tests.

const script = join(repoRoot, 'scripts', 'infra.sh');

export function stopBroker(): void {
  execFileSync('bash', [script, 'kafka-down'], { stdio: 'inherit' });
}

export function startBroker(): void {
  execFileSync('bash', [script, 'kafka-up'], { stdio: 'inherit' });
}
