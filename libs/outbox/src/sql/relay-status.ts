import type { Sql } from '@playball/platform/database';

/** The advisory lock whose holder is a service's relay leader (LeaderLock takes it, this names it). */
export function relayLockKey(service: string): string {
  return `outbox-relay:${service}`;
}

export interface RelaySession {
  pid: number;
  /** host:port of the instance's connection, or `local` over a Unix socket. */
  client: string;
  connectedAt: string;
}

export interface FailingRow {
  id: string;
  eventId: string;
  topic: string;
  type: string;
  attempts: number;
  lastError: string;
  createdAt: string;
}

export interface RelayStatus {
  leader: RelaySession | null;
  /** Instances trying for the lock that do not hold it. */
  standbys: RelaySession[];
  failing: FailingRow[];
  failingTotal: number;
}

/**
 * Who leads the relay, read from the database rather than asked of the instances: the session that
 * holds the advisory lock (pg_locks keys a bigint lock as classid = high and objid = low 32 bits),
 * and the unpublished rows whose last publish failed.
 */
export async function relayStatus(db: Sql, service: string, failingLimit = 20): Promise<RelayStatus> {
  const { rows: sessions } = await db.query<RelaySession & { leads: boolean; connectedAt: Date }>(
    `select a.pid, coalesce(host(a.client_addr) || ':' || a.client_port, 'local') as client,
            a.backend_start as "connectedAt",
            exists (select 1 from pg_locks l
                     where l.pid = a.pid and l.granted and l.locktype = 'advisory' and l.objsubid = 1
                       and l.database = (select oid from pg_database where datname = current_database())
                       and ((l.classid::bigint << 32) | l.objid::bigint) = hashtext($1)::bigint) as leads
       from pg_stat_activity a
      where a.application_name = $1 and a.datname = current_database()
        -- The relay's own pool shares the name; a lock session's last statement is its attempt or its LISTEN.
        and (a.query like '%pg_try_advisory_lock%' or a.query like 'listen %')
      order by a.backend_start`,
    [relayLockKey(service)],
  );
  const session = ({ pid, client, connectedAt }: (typeof sessions)[number]): RelaySession => ({
    pid,
    client,
    connectedAt: new Date(connectedAt).toISOString(),
  });
  const { rows: failing } = await db.query<FailingRow & { createdAt: Date }>(
    `select id::text, event_id as "eventId", topic, type, attempts, last_error as "lastError", created_at as "createdAt"
       from outbox where published_at is null and last_error is not null
      order by id limit $1`,
    [failingLimit],
  );
  const {
    rows: [{ total }],
  } = await db.query<{ total: number }>(
    `select count(*)::int as total from outbox where published_at is null and last_error is not null`,
  );
  const leader = sessions.find((s) => s.leads);
  return {
    leader: leader ? session(leader) : null,
    standbys: sessions.filter((s) => !s.leads).map(session),
    failing: failing.map((row) => ({ ...row, createdAt: new Date(row.createdAt).toISOString() })),
    failingTotal: total,
  };
}
