import { createEvent, deadLetterTopicName, Topics, topicName } from '@playball/events';
import { RunningApp, startAuth, startGroupManagement, uniquePrefix } from '../../support/apps';
import { eventually } from '../../support/eventually';
import { http, signUp } from '../../support/http';
import { produceEvent, TopicReader, uniqueName } from '../../support/kafka';

/** Issue 11 as a user found it: records produced straight onto auth's topic by someone else. */
describe('group-management against events forged onto auth.user.v1', () => {
  let auth: RunningApp;
  let groups: RunningApp;
  let userTopic: string;
  let deadLetters: TopicReader;

  beforeAll(async () => {
    const prefix = uniquePrefix();
    const consumerGroup = uniqueName('group-management');
    userTopic = topicName(Topics.user.name, prefix);
    auth = await startAuth(prefix);
    groups = await startGroupManagement(prefix, auth.url, { KAFKA_CONSUMER_GROUP: consumerGroup });
    deadLetters = await new TopicReader([deadLetterTopicName(userTopic, consumerGroup)]).start();
  });

  afterAll(async () => {
    await deadLetters?.stop();
    await groups?.close();
    await auth?.close();
  });

  /** `event` on auth's topic, said by `source`. */
  const forge = (event: ReturnType<typeof createEvent>, source: string) =>
    produceEvent(userTopic, { ...event, source });

  it('keeps the real name and the account, and still applies later renames from auth', async () => {
    const ada = await signUp(auth.url, 'Ada');
    const group = await http('POST', `${groups.url}/groups`, { token: ada.token, body: { name: 'Chess club' } });
    expect(group.status).toBe(201);

    const userId = ada.id;
    await forge(
      createEvent('playball.user.updated.v1', { userId, displayName: 'Mallory', version: 1_000_000 }),
      '/mallory',
    );
    await forge(createEvent('playball.user.deleted.v1', { userId, version: 1_000_001 }), '/group-management');
    const letters = await deadLetters.waitFor(2, (r) => r.key === userId);
    expect(letters.map((l) => l.headers.dlq_error_code)).toEqual(['EVENT.WRONG_SOURCE', 'EVENT.WRONG_SOURCE']);

    const renamed = await http('PATCH', `${auth.url}/users/me`, { token: ada.token, body: { displayName: 'Ada L.' } });
    expect(renamed.status).toBe(200);
    await eventually(async () => {
      const seen = await http('GET', `${groups.url}/groups/${group.body.id}`, { token: ada.token });
      expect(seen.body.members).toEqual([{ userId, displayName: 'Ada L.', role: 'admin' }]);
    });
  });
});
