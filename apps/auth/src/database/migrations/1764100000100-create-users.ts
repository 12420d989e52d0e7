import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsers1764100000100 implements MigrationInterface {
  name = 'CreateUsers1764100000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table users (
        id uuid primary key,
        email text not null,
        display_name text not null,
        password_hash text not null,
        version integer not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    await queryRunner.query(`create unique index users_email_lower_idx on users (lower(email))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table users`);
  }
}
