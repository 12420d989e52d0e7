import { DataSource } from 'typeorm';
import { groupManagementDataSourceOptions } from '../../../apps/group-management/src/database/data-source';
import { UserViewService } from '../../../apps/group-management/src/users/user-view.service';
import { RunningApp, startAuth, startGroupManagement, uniquePrefix } from '../../support/apps';
import { eventually, withDeadline } from '../../support/eventually';
import { http, signUp } from '../../support/http';

// group-management listens on a topic namespace auth does not publish to, so its own consumer never
// applies the user: only another instance's commit can. The request may wait 30 s and re-reads the
// view only then (the poll fallback is 10 min), so an answer within 10 s means the commit's NOTIFY
// woke it (it takes about 250 ms here).
const WAKE_DEADLINE_MS = 10_000;
describe('read-your-writes across instances', () => {
  let auth: RunningApp;
  let groups: RunningApp;
  let otherInstance: DataSource;

  beforeAll(async () => {
    auth = await startAuth(uniquePrefix());
    groups = await startGroupManagement(uniquePrefix(), auth.url, {
      CONSISTENCY_WAIT_MS: '30000',
      CONSISTENCY_POLL_MS: '600000',
    });
    otherInstance = await new DataSource(groupManagementDataSourceOptions(groups.database.url)).initialize();
  });

  // Long enough for a request that was never woken to end at its 30 s deadline, so the app can close.
  afterAll(async () => {
    await otherInstance?.destroy();
    await groups?.close();
    await auth?.close();
  }, 60_000);

  async function waitsInProgress(): Promise<number> {
    const metrics = await (await fetch(groups.metricsUrl)).text();
    return Number(/^user_view_waits_in_progress (\d+)$/m.exec(metrics)?.[1] ?? 'NaN');
  }

  it('wakes a waiting request when another instance commits the user to the view', async () => {
    const user = await signUp(auth.url, 'Ada');

    const request = http('POST', `${groups.url}/groups`, { token: user.token, body: { name: 'Woken' } });
    await eventually(async () => expect(await waitsInProgress()).toBe(1));
    await otherInstance.transaction((manager) =>
      new UserViewService().upsert(manager, { userId: user.id, displayName: 'Ada', version: 1 }),
    );

    const response = await withDeadline(request, WAKE_DEADLINE_MS, 'the waiting request was not woken');
    expect(response.status).toBe(201);
    expect(response.body.members).toEqual([{ userId: user.id, displayName: 'Ada', role: 'admin' }]);
    expect(await waitsInProgress()).toBe(0);
  });
});
