import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOutbox1764100000000 implements MigrationInterface {
  name = 'CreateOutbox1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table outbox (
        id bigserial primary key,
        event_id uuid not null unique,
        topic text not null,
        key text not null,
        type text not null,
        headers jsonb not null default '{}',
        payload jsonb,
        created_at timestamptz not null default now(),
        published_at timestamptz,
        attempts integer not null default 0,
        last_error text
      )`);
    await queryRunner.query(`comment on column outbox.payload is 'the record value; null publishes a tombstone'`);
    // The relay reads only unpublished rows in id order; this keeps that scan proportional to the backlog.
    await queryRunner.query(`create index outbox_unpublished_idx on outbox (id) where published_at is null`);
    await queryRunner.query(
      `create index outbox_published_at_idx on outbox (published_at) where published_at is not null`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table outbox`);
  }
}
