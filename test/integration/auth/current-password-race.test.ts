import { DataSource } from 'typeorm';
import { DeleteMeService } from '../../../apps/auth/src/users/delete-me/delete-me.service';
import { UpdateMeService } from '../../../apps/auth/src/users/update-me/update-me.service';
import { User } from '../../../apps/auth/src/users/user.entity';
import { authAppForTests } from './support/auth-app';
import { request, signedUp } from './support/http';

jest.setTimeout(30_000);

/**
 * PATCH and DELETE /users/me check the current password before their transaction, against the
 * account the guard loaded, so that argon2 holds no row lock. A password changed between that
 * check and the row lock must still refuse them: the services compare the locked row's hash with
 * the one they checked. The caller here is the account as loaded before the change, which is what
 * such a request carries.
 */
describe('the current password, changed between the check and the lock', () => {
  const auth = authAppForTests();

  async function callerLoadedBeforeAPasswordChange() {
    const { user, token } = await signedUp(auth.url);
    const caller = await auth.app.get(DataSource).getRepository(User).findOneByOrFail({ id: user.id });
    const changed = await request(auth.url, 'PATCH', '/users/me', {
      token,
      body: { password: 'a newer long password', currentPassword: user.password },
    });
    expect(changed.status).toBe(200);
    return { caller, oldPassword: user.password };
  }

  async function current(id: string): Promise<User | null> {
    return auth.app.get(DataSource).getRepository(User).findOneBy({ id });
  }

  it('refuses an email change checked against the old password', async () => {
    const { caller, oldPassword } = await callerLoadedBeforeAPasswordChange();

    const update = auth.app
      .get(UpdateMeService)
      .update(caller, { email: `taken-over-${caller.email}`, currentPassword: oldPassword });

    await expect(update).rejects.toMatchObject({ code: 'USER.CURRENT_PASSWORD_INCORRECT' });
    expect((await current(caller.id))?.email).toBe(caller.email);
  });

  it('refuses a deletion checked against the old password', async () => {
    const { caller, oldPassword } = await callerLoadedBeforeAPasswordChange();

    const deletion = auth.app.get(DeleteMeService).delete(caller, oldPassword);

    await expect(deletion).rejects.toMatchObject({ code: 'USER.CURRENT_PASSWORD_INCORRECT' });
    expect(await current(caller.id)).not.toBeNull();
  });
});
