import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * What the outbox's and the inbox's own statements run on: a node-postgres pool. The relay thread
 * opens one of its own, without TypeORM, whose modules would cost that thread 7–8 MiB of memory
 * (docs/performance.md); code that has a TypeORM DataSource passes the pool under it (poolOf).
 */
export type Sql = Pick<Pool, 'query'>;

/** The node-postgres pool an initialized TypeORM DataSource runs its queries on. */
export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as PostgresDriver).master as Pool;
}
