import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUserView1764100000200 implements MigrationInterface {
  name = 'CreateUserView1764100000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table users (
        id uuid primary key,
        display_name text,
        version integer not null,
        deleted_at timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table users`);
  }
}
