import { UserRegistered } from './user-registered.event';
import { UserUpdated } from './user-updated.event';

describe('the user state events', () => {
  const userId = '0190a6c2-9f3b-7c1e-8a2b-3c4d5e6f7a8b';

  const events = [UserRegistered, UserUpdated].map((e) => [e.type, e] as const);

  it.each(events)('%s takes an event published before credentialsVersion existed', (_type, event) => {
    expect(event.schema.parse({ userId, displayName: 'Ada', version: 3 })).toEqual({
      userId,
      displayName: 'Ada',
      version: 3,
    });
  });

  it.each(events)('%s carries credentialsVersion, a positive integer', (_type, event) => {
    expect(event.schema.parse({ userId, displayName: 'Ada', version: 3, credentialsVersion: 2 })).toMatchObject({
      credentialsVersion: 2,
    });
    expect(() => event.schema.parse({ userId, displayName: 'Ada', version: 3, credentialsVersion: 0 })).toThrow();
    expect(() => event.schema.parse({ userId, displayName: 'Ada', version: 3, credentialsVersion: '2' })).toThrow();
  });
});
