import { http } from '../support/http';
import { System } from '../support/system';
import { pick } from './random';

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
  readonly stats: WorkloadStats = { operations: 0, refused: 0, failed: 0, byKind: {} };
  private serial = 0;

  constructor(
    private readonly system: System,
    private readonly random: () => number,
    private readonly maxUsers: number,
  ) {}

  async step(): Promise<void> {
    const live = this.players.filter((p) => !p.deleted);
    const roll = this.random();
    const kind =
      this.players.length < this.maxUsers && (roll < 0.45 || live.length < 5)
        ? 'register'
        : roll < 0.55
          ? 'rename'
          : roll < 0.6
            ? 'delete'
            : roll < 0.75
              ? 'create-group'
              : roll < 0.92
                ? 'add-member'
                : 'leave';
    this.stats.operations++;
    this.stats.byKind[kind] = (this.stats.byKind[kind] ?? 0) + 1;
    try {
      if (!(await this.run(kind, live))) this.stats.failed++;
    } catch (error) {
      if (error instanceof Refused) this.stats.refused++;
      else this.stats.failed++; // connection refused while an instance restarts
    }
  }

  private async run(kind: string, live: Player[]): Promise<boolean> {
    const auth = pick(
      this.random,
      this.system.instances.filter((i) => i.name === 'auth' && i.running),
    )?.url;
    const groups = pick(
      this.random,
      this.system.instances.filter((i) => i.name === 'group-management' && i.running),
    )?.url;
    if (!auth || !groups) return false;
    const player = pick(this.random, live);
    switch (kind) {
      case 'register': {
        const email = `chaos-${this.serial++}-${Math.floor(this.random() * 1e9)}@example.com`;
        const registered = await http('POST', `${auth}/auth/register`, {
          body: { email, password, displayName: `P${this.serial}` },
        });
        if (!ok(registered.status, 201)) return false;
        const login = await http('POST', `${auth}/auth/login`, { body: { email, password } });
        if (login.status !== 200) return false;
        this.players.push({ id: registered.body.id, email, token: login.body.accessToken, deleted: false });
        return true;
      }
      case 'rename': {
        if (!player) return false;
        const name = `P${Math.floor(this.random() * 1e6)}`;
        const renamed = await http('PATCH', `${auth}/users/me`, { token: player.token, body: { displayName: name } });
        if (!ok(renamed.status, 200)) return false;
        return this.relogin(auth, player);
      }
      case 'delete': {
        if (!player) return false;
        const deleted = await http('DELETE', `${auth}/users/me`, { token: player.token });
        if (deleted.status === 204) player.deleted = true;
        return ok(deleted.status, 204);
      }
      case 'create-group': {
        if (!player) return false;
        const created = await http('POST', `${groups}/groups`, {
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
        if (!group || !member) return true;
        const added = await http('POST', `${groups}/groups/${group.id}/members`, {
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
        if (!group || !leaver) return true;
        const left = await http('DELETE', `${groups}/groups/${group.id}/members/${leaver.id}`, { token: leaver.token });
        if (left.status === 204) group.members.delete(leaver.id);
        return ok(left.status, 204);
      }
    }
  }

  /** A new token carries the new user version, which is what read-your-writes keys on. */
  private async relogin(auth: string, player: Player): Promise<boolean> {
    const login = await http('POST', `${auth}/auth/login`, { body: { email: player.email, password } });
    if (login.status === 200) player.token = login.body.accessToken;
    return login.status === 200;
  }
}

/** True on the expected status; a 4xx other than 401/429 is a business refusal, anything else a fault. */
function ok(status: number, expected: number): boolean {
  if (status === expected) return true;
  if (status >= 400 && status < 500 && status !== 401 && status !== 429) throw new Refused(String(status));
  return false;
}
