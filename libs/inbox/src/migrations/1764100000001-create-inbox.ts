import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateInbox1764100000001 implements MigrationInterface {
  name = 'CreateInbox1764100000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table inbox (
        consumer text not null,
        event_id uuid not null,
        type text not null,
        processed_at timestamptz not null default now(),
        primary key (consumer, event_id)
      )`);
    await queryRunner.query(`create index inbox_processed_at_idx on inbox (processed_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table inbox`);
  }
}
