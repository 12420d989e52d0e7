import { Client } from 'pg';
import { assertTestDatabaseName } from '../../../support/databases';
import { postgresServerUrl } from '../../../support/infrastructure';

async function asAdmin(work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: `${postgresServerUrl}/postgres` });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Makes one database unreachable while `during` runs, as a database outage looks to its clients:
 * open sessions are terminated and new ones refused. Other tests' databases are untouched.
 */
export async function withDatabaseOutage(name: string, during: () => Promise<void>): Promise<void> {
  assertTestDatabaseName(name);
  await asAdmin(async (admin) => {
    await admin.query(`alter database ${name} allow_connections false`);
    await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1`, [name]);
  });
  try {
    await during();
  } finally {
    await asAdmin((admin) => admin.query(`alter database ${name} allow_connections true`));
  }
}
