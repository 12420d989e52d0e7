import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users already in the view get 1: no change of credentials is known for them, so no token is voided. */
export class AddCredentialsVersion1764100000202 implements MigrationInterface {
  name = 'AddCredentialsVersion1764100000202';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`alter table users add column credentials_version integer not null default 1`);
    await queryRunner.query(`alter table users alter column credentials_version drop default`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`alter table users drop column credentials_version`);
  }
}
