import { AuthError } from '../../apps/auth/src/errors';
import { AuthWriter } from '../support/auth-writer';
import { http } from '../support/http';
import { System } from '../support/system';
import { pick, sample } from './random';

interface Player {
  id: string;
  email: string;
  token: string;
  deleted: boolean;
}

export interface WorkloadStats {
  operations: number;
  /** Refused by a business rule (4xx): e.g. a member added twice, or a user the view has not seen yet. */
  refused: number;
  /** Lost to a fault: connection refused, 5xx, 503 while a view catches up. */
  failed: number;
  byKind: Record<string, number>;
  /** How the operations lost to faults failed: HTTP status or error message. */
  failures: Record<string, number>;
  /** When each operation that got an answer ended (ms since the epoch), for the rates reached. */
  answeredAt: number[];
  /** When each committed transaction of captured renames ended (several operations each). */
  capturedTransactionsAt: number[];
}

class Refused extends Error {}

const password = 'correct horse battery';

/**
 * A seeded random mix of what users do: register, rename, delete their account, create groups,
 * add members, leave. Requests fail while faults are injected; that is expected and counted. The
 * truth to compare against at the end is auth's database, not what the workload believes.
 */
export class Workload {
  readonly players: Player[] = [];
  readonly groups: { id: string; admin: Player; members: Set<string> }[] = [];
  readonly stats: WorkloadStats = {
    operations: 0,
    refused: 0,
    failed: 0,
    byKind: {},
    failures: {},
    answeredAt: [],
    capturedTransactionsAt: [],
  };
  private serial = 0;

  constructor(
    private readonly system: System,
    private readonly random: () => number,
    private readonly maxUsers: number,
  ) {}

  /**
   * One operation. Under `load`, only the ones that publish events at HTTP speed (renames and group
   * changes): registering and deleting wait on argon2 (about 50 ms of CPU each) and would cap the
   * rate at a few dozen per second, and deleting would use up the users within seconds.
   */
  async step(load = false): Promise<void> {
    const live = this.players.filter((p) => !p.deleted);
    const kind = load ? this.loadKind() : this.kind(live);
    try {
      const answered = await this.run(kind, live);
      // Yields, so that clients finding nothing to do do not spin on microtasks and starve the timers.
      if (answered === 'nothing to do') return await new Promise((resolve) => setImmediate(resolve));
      this.count(kind);
      if (answered) this.stats.answeredAt.push(Date.now());
      else await this.fail(`${kind}: no ready instance`);
    } catch (error) {
      this.count(kind);
      if (error instanceof Refused) {
        this.stats.refused++;
        this.stats.answeredAt.push(Date.now());
      } else await this.fail(`${kind}: ${(error as Error).message}`); // connection refused while an instance restarts
    }
  }

  /**
   * Up to `batch` renames (as many of the lane's players as are live) committed in one transaction
   * straight into auth's database through auth's entities and outbox subscriber (the capture path,
   * as the bench's end-to-end writer does), without HTTP. Each rename is an operation of its own, with its own event that the run checks for
   * loss, duplicates and order. Why batches: one rename per transaction, 16 writers beside 32 HTTP
   * clients held the load phase at 53–76 operations a second at a slow hour, and the bench's writer
   * commits 584–1,041 renames a second alone on the machine; ten per transaction it reached 972 at
   * an hour when one per transaction reached 614 (docs/performance.md). A batch job's commits are
   * the load the relay, Kafka and the consumer carry here; the summary counts the transactions too.
   *
   * Each writer renames only the players of its lane: with every writer sampling all players, 16
   * batches of 10 locked most of 200 users at once and waited on each other's locks. A lane holds
   * 12 or so of 200 players, so a transaction carries fewer than `batch` renames most of the time.
   */
  async captureStep(writer: AuthWriter, batch: number, lane: { index: number; of: number }): Promise<void> {
    const kind = batch > 1 ? `rename (captured, up to ${batch} per transaction)` : 'rename (captured)';
    const players = sample(
      this.random,
      this.players.filter((p, i) => !p.deleted && i % lane.of === lane.index),
      batch,
    );
    // A lane with nobody live yet (or any more) waits rather than spinning on the cores under test.
    if (players.length === 0) return await new Promise((resolve) => setTimeout(resolve, 50));
    this.count(kind, players.length);
    try {
      await writer.renameAll(
        players.map((p) => ({ userId: p.id, displayName: `C${Math.floor(this.random() * 1e6)}` })),
      );
      this.answered(players.length);
      this.stats.capturedTransactionsAt.push(Date.now());
    } catch (error) {
      // A user deleted over HTTP a moment ago refuses the whole transaction, as a 401 would refuse
      // a PATCH. Anything else (a terminated connection) is a fault.
      if (error instanceof AuthError) {
        this.stats.refused += players.length;
        this.answered(players.length);
      } else await this.fail(`${kind}: ${(error as Error).message}`, players.length);
    }
  }

  private answered(count: number): void {
    const now = Date.now();
    for (let i = 0; i < count; i++) this.stats.answeredAt.push(now);
  }

  private kind(live: Player[]): string {
    const roll = this.random();
    if (this.players.length < this.maxUsers && (roll < 0.45 || live.length < 5)) return 'register';
    return roll < 0.55
      ? 'rename'
      : roll < 0.6
        ? 'delete'
        : roll < 0.75
          ? 'create-group'
          : roll < 0.92
            ? 'add-member'
            : 'leave';
  }

  private loadKind(): string {
    const roll = this.random();
    return roll < 0.4 ? 'rename' : roll < 0.55 ? 'create-group' : roll < 0.85 ? 'add-member' : 'leave';
  }

  private count(kind: string, operations = 1): void {
    this.stats.operations += operations;
    this.stats.byKind[kind] = (this.stats.byKind[kind] ?? 0) + operations;
  }

  private async run(kind: string, live: Player[]): Promise<boolean | 'nothing to do'> {
    const service = ['register', 'rename', 'delete'].includes(kind) ? 'auth' : 'group-management';
    const url = pick(
      this.random,
      this.system.instances.filter((i) => i.name === service && i.ready),
    )?.url;
    if (!url) return false;
    const player = pick(this.random, live);
    switch (kind) {
      case 'register': {
        const email = `chaos-${this.serial++}-${Math.floor(this.random() * 1e9)}@example.com`;
        const registered = await http('POST', `${url}/auth/register`, {
          body: { email, password, displayName: `P${this.serial}` },
        });
        if (!ok(registered.status, 201)) return false;
        const login = await http('POST', `${url}/auth/login`, { body: { email, password } });
        if (!ok(login.status, 200)) return false;
        this.players.push({ id: registered.body.id, email, token: login.body.accessToken, deleted: false });
        return true;
      }
      case 'rename': {
        if (!player) return 'nothing to do';
        const name = `P${Math.floor(this.random() * 1e6)}`;
        const renamed = await http('PATCH', `${url}/users/me`, { token: player.token, body: { displayName: name } });
        // The old token stays valid: its user version is older, which the view always satisfies.
        return ok(renamed.status, 200);
      }
      case 'delete': {
        if (!player) return 'nothing to do';
        const deleted = await http('DELETE', `${url}/users/me`, {
          token: player.token,
          body: { currentPassword: password },
        });
        if (deleted.status === 204) player.deleted = true;
        return ok(deleted.status, 204);
      }
      case 'create-group': {
        if (!player) return 'nothing to do';
        const created = await http('POST', `${url}/groups`, {
          token: player.token,
          body: { name: `G${this.serial++}` },
        });
        if (created.status === 201)
          this.groups.push({ id: created.body.id, admin: player, members: new Set([player.id]) });
        return ok(created.status, 201);
      }
      case 'add-member': {
        const group = pick(
          this.random,
          this.groups.filter((g) => !g.admin.deleted),
        );
        const member =
          group &&
          pick(
            this.random,
            live.filter((p) => !group.members.has(p.id)),
          );
        if (!group || !member) return 'nothing to do';
        const added = await http('POST', `${url}/groups/${group.id}/members`, {
          token: group.admin.token,
          body: { userId: member.id },
        });
        if (added.status === 201) group.members.add(member.id);
        return ok(added.status, 201);
      }
      default: {
        const group = pick(
          this.random,
          this.groups.filter((g) => g.members.size > 1),
        );
        const leaver =
          group &&
          pick(
            this.random,
            live.filter((p) => group.members.has(p.id)),
          );
        if (!group || !leaver) return 'nothing to do';
        const left = await http('DELETE', `${url}/groups/${group.id}/members/${leaver.id}`, { token: leaver.token });
        if (left.status === 204) group.members.delete(leaver.id);
        return ok(left.status, 204);
      }
    }
  }

  /** Like a client, pauses after a failure instead of hammering a restarting service. */
  private async fail(reason: string, operations = 1): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 100));
    this.stats.failed += operations;
    this.stats.failures[reason] = (this.stats.failures[reason] ?? 0) + operations;
  }
}

/** True on the expected status; a 4xx other than 429 is a refusal by a rule, anything else a fault. */
function ok(status: number, expected: number): boolean {
  if (status === expected) return true;
  // 401 too: another client may have deleted this user a moment ago.
  if (status >= 400 && status < 500 && status !== 429) throw new Refused(String(status));
  throw new Error(`HTTP ${status}`);
}
