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
  failed: number;
  byKind: Record<string, number>;
}

const password = 'correct horse battery';

/**
 * A seeded random mix of what users do: register, rename, delete their account, create groups,
 * add members, leave. Requests fail while faults are injected; that is expected and counted. The
 * truth to compare against at the end is auth's database, not what the workload believes.
 */
export class Workload {
  readonly players: Player[] = [];
  readonly groups: { id: string; admin: Player }[] = [];
  readonly stats: WorkloadStats = { operations: 0, failed: 0, byKind: {} };
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
      this.players.length < this.maxUsers && (roll < 0.3 || live.length < 5)
        ? 'register'
        : roll < 0.5
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
      const ok = await this.run(kind, live);
      if (!ok) this.stats.failed++;
    } catch {
      this.stats.failed++; // connection refused while an instance restarts
    }
  }

  private async run(kind: string, live: Player[]): Promise<boolean> {
    const auth = pick(this.random, this.system.instances.filter((i) => i.name === 'auth' && i.running))?.url;
    const groups = pick(this.random, this.system.instances.filter((i) => i.name === 'group-management' && i.running))?.url;
    if (!auth || !groups) return false;
    const player = pick(this.random, live);
    switch (kind) {
      case 'register': {
        const email = `chaos-${this.serial++}-${Math.floor(this.random() * 1e9)}@example.com`;
        const registered = await http('POST', `${auth}/auth/register`, { body: { email, password, displayName: `P${this.serial}` } });
        if (registered.status !== 201) return false;
        const login = await http('POST', `${auth}/auth/login`, { body: { email, password } });
        if (login.status !== 200) return false;
        this.players.push({ id: registered.body.id, email, token: login.body.accessToken, deleted: false });
        return true;
      }
      case 'rename': {
        if (!player) return false;
        const name = `P${Math.floor(this.random() * 1e6)}`;
        const renamed = await http('PATCH', `${auth}/users/me`, { token: player.token, body: { displayName: name } });
        if (renamed.status !== 200) return false;
        return this.relogin(auth, player);
      }
      case 'delete': {
        if (!player) return false;
        const deleted = await http('DELETE', `${auth}/users/me`, { token: player.token });
        if (deleted.status === 204) player.deleted = true;
        return deleted.status === 204;
      }
      case 'create-group': {
        if (!player) return false;
        const created = await http('POST', `${groups}/groups`, { token: player.token, body: { name: `G${this.serial++}` } });
        if (created.status === 201) this.groups.push({ id: created.body.id, admin: player });
        return created.status === 201;
      }
      case 'add-member': {
        const group = pick(this.random, this.groups.filter((g) => !g.admin.deleted));
        const member = pick(this.random, live);
        if (!group || !member) return false;
        const added = await http('POST', `${groups}/groups/${group.id}/members`, { token: group.admin.token, body: { userId: member.id } });
        return added.status === 201;
      }
      default: {
        const group = pick(this.random, this.groups);
        if (!group || !player) return false;
        const left = await http('DELETE', `${groups}/groups/${group.id}/members/${player.id}`, { token: player.token });
        return left.status === 204;
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
