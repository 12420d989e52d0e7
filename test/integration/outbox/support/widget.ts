import { Column, DataSource, Entity, MigrationInterface, PrimaryColumn, QueryRunner, VersionColumn } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Topics } from '@playball/events';
import { defineOutboxMapper, event, outboxSubscriber, tombstone } from '@playball/outbox';
import { libsDataSourceOptions } from '../../../support/libs-data-source';

/** A stand-in aggregate for the lib's tests, published on the user topic through the user events. */
@Entity('widgets')
export class Widget {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  /** Not part of any event: the mapper ignores changes of it. */
  @Column('text', { default: '' })
  secret!: string;

  @VersionColumn()
  version!: number;
}

export class CreateWidgets1764199990000 implements MigrationInterface {
  name = 'CreateWidgets1764199990000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `create table widgets (id uuid primary key, name text not null, secret text not null default '', version integer not null)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table widgets`);
  }
}

export const widgetMapper = defineOutboxMapper<Widget>({
  entity: Widget,
  inserted: (w) => [event('playball.user.registered.v1', { userId: w.id, displayName: w.name, version: w.version })],
  updated: (w, before) =>
    w.name === before.name
      ? []
      : [event('playball.user.updated.v1', { userId: w.id, displayName: w.name, version: w.version })],
  removed: (w) => [
    event('playball.user.deleted.v1', { userId: w.id, version: w.version + 1 }),
    tombstone(Topics.user, w.id),
  ],
});

/** The libs' tables plus `widgets`, with the outbox capturing widget changes. */
export async function widgetDataSource(url: string, poolSize = 10): Promise<DataSource> {
  const libs = libsDataSourceOptions(url);
  const db = new DataSource({
    ...libs,
    entities: [Widget],
    subscribers: [outboxSubscriber([widgetMapper])],
    migrations: [...((libs.migrations ?? []) as (new () => MigrationInterface)[]), CreateWidgets1764199990000],
    extra: { max: poolSize },
  });
  await db.initialize();
  await db.runMigrations();
  return db;
}

export function createWidget(db: DataSource, name = 'widget'): Promise<Widget> {
  return db.transaction((manager) => manager.save(Widget, { id: uuidv7(), name }));
}

/** Creates `count` widgets named w0, w1, … one transaction each, and returns their ids. */
export async function createWidgets(db: DataSource, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) ids.push((await createWidget(db, `w${i}`)).id);
  return ids;
}

/** Renames a widget in its own transaction, loading it fresh as a request handler would. */
export function renameWidget(db: DataSource, id: string, name: string): Promise<Widget> {
  return db.transaction(async (manager) => {
    const widget = await manager.findOneByOrFail(Widget, { id });
    widget.name = name;
    return manager.save(widget);
  });
}

/** Each widget's id and current version, i.e. how many events it has committed. */
export function widgetVersions(db: DataSource): Promise<{ id: string; version: number }[]> {
  return db.query(`select id, version from widgets`);
}
