import { generateKeyPairSync } from 'node:crypto';
import { SigningKeyError, signingKeys } from './signing-keys';

describe('signingKeys', () => {
  function setup() {
    const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = (key: import('node:crypto').KeyObject, type: 'pkcs8' | 'pkcs1' | 'spki') =>
      key.export({ format: 'pem', type } as never) as unknown as string;
    return { rsa, pem };
  }

  it('names the key by its RFC 7638 thumbprint, the same on every load', async () => {
    const { rsa, pem } = setup();
    const { privateKey } = rsa();

    const first = await signingKeys(pem(privateKey, 'pkcs8'));
    const again = await signingKeys(pem(privateKey, 'pkcs1'));

    expect(first.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(again.kid).toBe(first.kid);
    expect(first.jwks.keys).toEqual([
      { kty: 'RSA', n: expect.any(String), e: 'AQAB', kid: first.kid, alg: 'RS256', use: 'sig' },
    ]);
  });

  it('accepts a PEM whose newlines are written as \\n', async () => {
    const { rsa, pem } = setup();
    const text = pem(rsa().privateKey, 'pkcs8');

    const keys = await signingKeys(text.replace(/\n/g, '\\n'));

    expect(keys.kid).toBe((await signingKeys(text)).kid);
  });

  it('serves the other verification keys after the current one, once each, with distinct kids', async () => {
    const { rsa, pem } = setup();
    const current = rsa();
    const retired = rsa();

    const keys = await signingKeys(
      pem(current.privateKey, 'pkcs8'),
      pem(retired.publicKey, 'spki') + pem(current.publicKey, 'spki') + pem(retired.publicKey, 'spki'),
    );

    expect(keys.jwks.keys.map((k) => k.kid)).toEqual([
      keys.kid,
      (await signingKeys(pem(retired.privateKey, 'pkcs8'))).kid,
    ]);
  });

  it('refuses a key that is not PEM without echoing it', async () => {
    const secret = 'super-secret-not-a-key';

    const attempt = signingKeys(secret);

    await expect(attempt).rejects.toThrow(SigningKeyError);
    await expect(attempt).rejects.toThrow(/^JWT_PRIVATE_KEY is not a PEM-encoded RSA key$/);
  });

  it('refuses an RSA key shorter than 2048 bits and a key of another type', async () => {
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

    await expect(signingKeys(short.export({ format: 'pem', type: 'pkcs8' }) as string)).rejects.toThrow(
      /at least 2048 bits/,
    );
    await expect(signingKeys(ec.export({ format: 'pem', type: 'pkcs8' }) as string)).rejects.toThrow(/RSA keys/);
  });
});
