import { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SpanKind } from '@opentelemetry/api';
import { Topics } from '@playball/events';
import { configureTracingWith, stopTracing } from '@playball/platform/observability';
import { RunningApp, startAuth, startGroupManagement, uniquePrefix } from '../../support/apps';
import { eventually } from '../../support/eventually';
import { http } from '../../support/http';

// Both apps in this process, one tracer for both (as one collector would see two processes):
// a register is one trace, from auth's HTTP span to group-management's apply.
describe('one register → view change is one trace', () => {
  const exporter = new InMemorySpanExporter();
  let auth: RunningApp;
  let groups: RunningApp;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    await configureTracingWith('playball-test', exporter);
    auth = await startAuth(prefix);
    groups = await startGroupManagement(prefix, auth.url);
  });

  afterAll(async () => {
    await groups?.close();
    await auth?.close();
    await stopTracing();
  });

  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
  const idOf = (span: ReadableSpan) => span.spanContext().spanId;

  it('joins the HTTP request, the capture, the relay thread’s publish and the inbox’s apply', async () => {
    const email = `traced-${Date.now()}@example.com`;
    const registered = await http('POST', `${auth.url}/auth/register`, {
      body: { email, password: 'correct horse battery', displayName: 'Traced' },
    });
    expect(registered.status).toBe(201);
    const userId = registered.body.id as string;

    const tree = await eventually(() => {
      const spans = exporter.getFinishedSpans();
      const request = spans.find((s) => s.name === 'POST /auth/register');
      expect(request).toBeDefined();
      const trace = spans.filter((s) => s.spanContext().traceId === request!.spanContext().traceId);
      const capture = trace.find((s) => s.name === 'outbox capture playball.user.registered.v1');
      const publish = trace.find((s) => s.name === `outbox publish ${prefix}${Topics.user.name}`);
      const apply = trace.find((s) => s.name === 'inbox apply playball.user.registered.v1');
      expect({ capture: !!capture, publish: !!publish, apply: !!apply }).toEqual({
        capture: true,
        publish: true,
        apply: true,
      });
      return { request: request!, capture: capture!, publish: publish!, apply: apply! };
    });

    // The request is the trace's root: no traceparent came with it.
    expect(parentOf(tree.request)).toBeUndefined();
    expect(tree.request.kind).toBe(SpanKind.SERVER);
    expect(tree.request.attributes).toMatchObject({ 'http.route': '/auth/register', 'http.response.status_code': 201 });
    // The capture is the event's "create" context: publish and apply both hang under it.
    expect(parentOf(tree.capture)).toBe(idOf(tree.request));
    expect(parentOf(tree.publish)).toBe(idOf(tree.capture));
    expect(parentOf(tree.apply)).toBe(idOf(tree.capture));
    expect([tree.capture.kind, tree.publish.kind, tree.apply.kind]).toEqual([
      SpanKind.PRODUCER,
      SpanKind.PRODUCER,
      SpanKind.CONSUMER,
    ]);
    const eventId = tree.capture.attributes['messaging.message.id'];
    expect(eventId).toEqual(expect.any(String));
    expect(tree.publish.attributes).toMatchObject({
      'messaging.message.id': eventId,
      'messaging.kafka.offset': expect.any(Number),
    });
    expect(tree.apply.attributes).toMatchObject({ 'messaging.message.id': eventId, 'playball.inbox.duplicate': false });
    // In time order: the publish starts after the capture, the apply after the publish ended.
    const ms = ([seconds, nanos]: [number, number]) => seconds * 1000 + nanos / 1e6;
    expect(ms(tree.publish.startTime)).toBeGreaterThanOrEqual(ms(tree.capture.endTime));
    expect(ms(tree.apply.endTime)).toBeGreaterThanOrEqual(ms(tree.publish.endTime));

    // And the view changed: the new user can create a group at once.
    const login = await http('POST', `${auth.url}/auth/login`, { body: { email, password: 'correct horse battery' } });
    const group = await http('POST', `${groups.url}/groups`, {
      token: login.body.accessToken,
      body: { name: 'Traced' },
    });
    expect(group.status).toBe(201);
    expect(group.body.members).toEqual([{ userId, displayName: 'Traced', role: 'admin' }]);

    // What a handler publishes hangs under its apply: deleting the user deletes its group.
    const deleted = await http('DELETE', `${auth.url}/users/me`, {
      token: login.body.accessToken,
      body: { currentPassword: 'correct horse battery' },
    });
    expect(deleted.status).toBe(204);
    const { apply, groupCapture } = await eventually(() => {
      const spans = exporter.getFinishedSpans();
      const userApply = spans.find((s) => s.name === 'inbox apply playball.user.deleted.v1');
      const capture = spans.find(
        (s) => s.name === 'outbox capture playball.group.deleted.v1' && parentOf(s) === (userApply && idOf(userApply)),
      );
      expect({ apply: !!userApply, capture: !!capture }).toEqual({ apply: true, capture: true });
      return { apply: userApply!, groupCapture: capture! };
    });
    expect(groupCapture.spanContext().traceId).toBe(apply.spanContext().traceId);
  });
});
