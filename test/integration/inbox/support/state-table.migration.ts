import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tables of the test consumer: `user_state`, a versioned copy of users kept with applyIfNewer,
 * and `effects`, one row per handler run that committed, in commit order (to count effects and to
 * read the order a key's events were applied in).
 */
export class CreateInboxTestState1764199999999 implements MigrationInterface {
  name = 'CreateInboxTestState1764199999999';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table user_state (
        id uuid primary key,
        version int not null,
        deleted_at timestamptz,
        name text
      )`);
    await queryRunner.query(`
      create table effects (
        seq bigserial primary key,
        event_id uuid not null,
        user_id uuid not null,
        version int not null,
        type text not null,
        changed boolean not null
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table effects`);
    await queryRunner.query(`drop table user_state`);
  }
}
