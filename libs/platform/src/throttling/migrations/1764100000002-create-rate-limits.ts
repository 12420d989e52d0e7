import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Request counts shared by every instance of an app. Unlogged: no WAL for a row written on every
 * limited request; after a crash (or on a standby) the counts start again from zero, which costs
 * at most one window of extra attempts.
 */
export class CreateRateLimits1764100000002 implements MigrationInterface {
  name = 'CreateRateLimits1764100000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create unlogged table rate_limits (
        key text primary key,
        hits integer not null,
        expires_at timestamptz not null
      )`);
    await queryRunner.query(`create index rate_limits_expires_at_idx on rate_limits (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table rate_limits`);
  }
}
