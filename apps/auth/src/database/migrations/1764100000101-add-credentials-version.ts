import { MigrationInterface, QueryRunner } from 'typeorm';

/** Existing users get 1: every token they hold was issued at version 1 or later, so none is voided. */
export class AddCredentialsVersion1764100000101 implements MigrationInterface {
  name = 'AddCredentialsVersion1764100000101';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`alter table users add column credentials_version integer not null default 1`);
    await queryRunner.query(`alter table users alter column credentials_version drop default`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`alter table users drop column credentials_version`);
  }
}
