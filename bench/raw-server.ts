/**
 * The HTTP baseline: a bare node:http server with a pg pool running the statements auth runs for
 * PATCH /users/me and group-management runs for GET /groups/:id (read from pg_stat_statements),
 * with none of the framework: no Nest, no TypeORM, no JWT (the bearer token is the user id).
 * Its connections prepare statements as the apps' do (pgClientClass, pool.query included), so the
 * comparison is of the framework's cost alone; against plain node-postgres, every statement planned
 * anew, auth's ratio would count PostgreSQL's planning as auth's gain (docs/performance.md).
 * Started as its own process by http.bench.ts: AUTH_DATABASE_URL, GROUPS_DATABASE_URL, PORT.
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Pool, PoolClient } from 'pg';
import { createEvent, toKafkaHeaders } from '@playball/events';
import { defaultPoolSettings, pgClientClass } from '@playball/platform/database';

const Client = pgClientClass(defaultPoolSettings.DATABASE_PREPARED_STATEMENTS);
const auth = new Pool({ connectionString: process.env.AUTH_DATABASE_URL, max: 10, Client });
const groups = new Pool({ connectionString: process.env.GROUPS_DATABASE_URL, max: 10, Client });
const USER =
  'select id, email, display_name, password_hash, version, credentials_version, created_at, updated_at from users where id = $1';

async function body(req: IncomingMessage): Promise<Record<string, string>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return JSON.parse(text) as Record<string, string>;
}

// The rate limit auth counts for PATCH /users/me, per client and per account (throttling/rate-limit.storage.ts).
const RATE_LIMIT = `insert into rate_limits as current (key, hits, expires_at)
  values ($1, 1, clock_timestamp() + $2 * interval '1 millisecond')
  on conflict (key) do update set
    hits = case when current.expires_at <= clock_timestamp() then 1 else current.hits + 1 end,
    expires_at = case when current.expires_at <= clock_timestamp() then excluded.expires_at else current.expires_at end
  returning hits, greatest(1, ceil(extract(epoch from expires_at - clock_timestamp())))::int as seconds_left`;

async function patchMe(userId: string, displayName: string): Promise<unknown> {
  await auth.query(`${USER} limit 1`, [userId]);
  await auth.query(RATE_LIMIT, ['write-client:127.0.0.1', 60_000]);
  await auth.query(RATE_LIMIT, [`write-account:${userId}`, 60_000]);
  const client: PoolClient = await auth.connect();
  try {
    await client.query('start transaction');
    const { rows } = await client.query(`${USER} limit 1 for update`, [userId]);
    await client.query(`${USER} limit 1`, [userId]);
    const version = (rows[0] as { version: number }).version + 1;
    await client.query(
      'update users set display_name = $1, version = $2, updated_at = current_timestamp where id = $3 returning updated_at',
      [displayName, version, userId],
    );
    // A whole event, as capture writes it: auth's relay publishes these rows too, and refuses (and
    // stays blocked on) a row whose headers do not name its owner.
    const event = createEvent('playball.user.updated.v1', {
      userId,
      displayName,
      version,
      credentialsVersion: (rows[0] as { credentials_version: number }).credentials_version,
    });
    await client.query(
      `with added as (
         insert into outbox (event_id, topic, key, type, headers, payload)
         select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[])
       )
       select pg_notify($7, '')`,
      [
        [event.id],
        ['auth.user.v1'],
        [userId],
        [event.type],
        [JSON.stringify(toKafkaHeaders(event))],
        [JSON.stringify(event.data)],
        'outbox',
      ],
    );
    await client.query('commit');
    const user = rows[0] as { id: string; email: string };
    return { id: user.id, email: user.email, displayName, version };
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

async function getGroup(userId: string, groupId: string): Promise<unknown> {
  await groups.query('select id, display_name, version, deleted_at from users where id = $1 limit 1', [userId]);
  const { rows } = await groups.query('select id, name, version, created_at from groups where id = $1 limit 1', [
    groupId,
  ]);
  const { rows: members } = await groups.query(
    'select group_id, user_id, role, joined_at from memberships where group_id = any($1) order by joined_at, user_id',
    [[groupId]],
  );
  const ids = members.map((m: { user_id: string }) => m.user_id);
  const { rows: users } = await groups.query(
    'select id, display_name, version, deleted_at from users where id = any($1)',
    [ids],
  );
  return { ...rows[0], members, users };
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const userId = (req.headers.authorization ?? '').replace('Bearer ', '');
  const group = /^\/groups\/([0-9a-f-]+)$/.exec(req.url ?? '');
  const answer =
    req.method === 'PATCH' && req.url === '/users/me'
      ? await patchMe(userId, (await body(req)).displayName)
      : req.method === 'GET' && group
        ? await getGroup(userId, group[1])
        : undefined;
  res.writeHead(answer === undefined ? 404 : 200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(answer ?? {}));
}

createServer((req, res) => {
  handle(req, res).catch((error: Error) => {
    res.writeHead(500);
    res.end(error.message);
  });
}).listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('listening'));
