import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateGroups1764100000201 implements MigrationInterface {
  name = 'CreateGroups1764100000201';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table groups (
        id uuid primary key,
        name text not null,
        version integer not null,
        created_at timestamptz not null default now()
      )`);
    await queryRunner.query(`
      create table memberships (
        group_id uuid not null,
        user_id uuid not null,
        role text not null,
        joined_at timestamptz not null default clock_timestamp(),
        constraint "PK_memberships" primary key (group_id, user_id),
        constraint "FK_memberships_group" foreign key (group_id) references groups (id) on delete no action
      )`);
    await queryRunner.query(`create index memberships_user_idx on memberships (user_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table memberships`);
    await queryRunner.query(`drop table groups`);
  }
}
