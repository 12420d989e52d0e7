import { MigrationInterface, QueryRunner } from 'typeorm';

/** Deleted users whose memberships are still being removed, a bounded batch per transaction. */
export class CreateMembershipCleanups1764100000203 implements MigrationInterface {
  name = 'CreateMembershipCleanups1764100000203';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table membership_cleanups (
        user_id uuid primary key,
        traceparent text,
        queued_at timestamptz not null default now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table membership_cleanups`);
  }
}
