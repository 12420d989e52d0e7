import { MigrationInterface, QueryRunner } from 'typeorm';

/** Which dead letters an operator replayed (`npm run ops -- dlq replay`), so none is replayed twice by accident. */
export class CreateDeadLetterReplays1764100000002 implements MigrationInterface {
  name = 'CreateDeadLetterReplays1764100000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table dead_letter_replays (
        dlq_topic text not null,
        dlq_partition integer not null,
        dlq_offset bigint not null,
        event_id uuid,
        source_topic text not null,
        replays integer not null default 1,
        first_replayed_at timestamptz not null default now(),
        last_replayed_at timestamptz not null default now(),
        primary key (dlq_topic, dlq_partition, dlq_offset)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table dead_letter_replays`);
  }
}
