import { DataSource, DataSourceOptions } from 'typeorm';
import { authDataSourceOptions } from '../../apps/auth/src/database/data-source';
import { groupManagementDataSourceOptions } from '../../apps/group-management/src/database/data-source';
import { createTestDatabase } from '../support/databases';

// Schemas change only through migrations; this fails when an entity and the migrations disagree,
// i.e. when `migration:generate` would produce a non-empty migration.
describe.each([
  ['auth', authDataSourceOptions],
  ['group_management', groupManagementDataSourceOptions],
] as [string, (url: string) => DataSourceOptions][])('the %s schema', (schema, options) => {
  it('matches its entities after the migrations ran', async () => {
    const database = await createTestDatabase(schema);
    const db = await new DataSource(options(database.url)).initialize();
    try {
      const pending = await db.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
