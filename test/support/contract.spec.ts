import { Answer, checkAnswer } from './contract';

const me = { id: '019ac1a8-5c3e-7b51-9a8e-2f4d6c1e0b7a', email: 'ada@example.com', displayName: 'Ada', version: 1 };

function answer(overrides: Partial<Answer> & { body?: unknown }): Answer {
  const { body, ...rest } = overrides;
  return {
    method: 'GET',
    url: 'http://127.0.0.1:3001/users/me',
    status: 200,
    contentType: 'application/json; charset=utf-8',
    text: body === undefined ? JSON.stringify(me) : JSON.stringify(body),
    ...rest,
  };
}

function problem(status: number, code: string, extensions: Record<string, unknown> = {}) {
  return {
    type: 'https://playball.dev/problems/x',
    title: 'x',
    status,
    code,
    detail: 'x',
    instance: '/x',
    ...extensions,
  };
}

describe('checkAnswer (the API contract in docs/openapi)', () => {
  it('accepts a documented answer', () => {
    expect(() => checkAnswer(answer({}))).not.toThrow();
  });

  it('refuses a member the schema does not name', () => {
    expect(() => checkAnswer(answer({ body: { ...me, passwordHash: 'x' } }))).toThrow(
      /must NOT have additional properties/,
    );
  });

  it('refuses a status the operation does not list', () => {
    expect(() => checkAnswer(answer({ status: 418 }))).toThrow(/answered 418, which is not documented/);
  });

  it('refuses a problem code the status does not list for the operation', () => {
    const contentType = 'application/problem+json';
    const unauthenticated = problem(401, 'AUTH.UNAUTHENTICATED');
    expect(() => checkAnswer(answer({ status: 401, contentType, body: unauthenticated }))).not.toThrow();
    expect(() =>
      checkAnswer(answer({ status: 401, contentType, body: problem(401, 'AUTH.INVALID_CREDENTIALS') })),
    ).toThrow(/must be equal to one of the allowed values/);
  });

  it('refuses a content type the status is not documented with', () => {
    expect(() => checkAnswer(answer({ contentType: 'text/html' }))).toThrow(/as 'text\/html'/);
  });

  it('refuses a body on an answer documented without one', () => {
    expect(() => checkAnswer(answer({ method: 'DELETE', status: 204, contentType: null, text: '{}' }))).toThrow(
      /with a body/,
    );
  });

  it('refuses a route no document describes', () => {
    expect(() => checkAnswer(answer({ url: 'http://127.0.0.1:3001/users/you' }))).toThrow(/not in docs\/openapi/);
  });

  it('matches path templates, and checks problem members by code', () => {
    const url = 'http://127.0.0.1:3002/groups/019ac1b2-0f3a-7c44-8d21-5e6f7a8b9c0d';
    const contentType = 'application/problem+json';
    const mismatch = problem(412, 'GROUP.VERSION_MISMATCH', { currentVersion: 3 });
    expect(() => checkAnswer(answer({ method: 'PATCH', url, status: 412, contentType, body: mismatch }))).not.toThrow();
    expect(() =>
      checkAnswer(answer({ method: 'PATCH', url, status: 412, contentType, body: { ...mismatch, hint: 'x' } })),
    ).toThrow(/additional properties/);
  });
});
