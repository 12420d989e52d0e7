import { exportJWK, generateKeyPair } from 'jose';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { loadGroupManagementConfig } from '../config';
import { JwksKeys } from './jwks-keys';

/** A real HTTP server standing in for auth's JWKS endpoint; the test decides which keys it serves. */
async function jwksServer() {
  let published: object[] = [];
  let fetches = 0;
  const server: Server = createServer((_, response) => {
    fetches++;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const publish = async (...kids: string[]) => {
    published = await Promise.all(
      kids.map(async (kid) => ({
        ...(await exportJWK((await generateKeyPair('RS256')).publicKey)),
        kid,
        alg: 'RS256',
      })),
    );
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    publish,
    fetches: () => fetches,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function setup(refetchIntervalMs: number, maxAgeMs = 600_000) {
  const auth = await jwksServer();
  const config = loadGroupManagementConfig({
    AUTH_JWKS_URL: auth.url,
    AUTH_JWKS_REFETCH_INTERVAL_MS: String(refetchIntervalMs),
    AUTH_JWKS_MAX_AGE_MS: String(maxAgeMs),
  });
  return { auth, keys: new JwksKeys(config) };
}

describe('JwksKeys', () => {
  it('fetches once and then serves known keys from its cache', async () => {
    const { auth, keys } = await setup(60_000);
    await auth.publish('k1');
    try {
      expect(await keys.publicKey('k1')).toMatchObject({ type: 'public', asymmetricKeyType: 'rsa' });
      expect(await keys.publicKey('k1')).toMatchObject({ type: 'public', asymmetricKeyType: 'rsa' });
      expect(auth.fetches()).toBe(1);
    } finally {
      await auth.close();
    }
  });

  it('answers concurrent first requests with the key, all waiting for the one fetch', async () => {
    const { auth, keys } = await setup(60_000);
    await auth.publish('k1');
    try {
      const found = await Promise.all([keys.publicKey('k1'), keys.publicKey('k1'), keys.publicKey('k1')]);
      expect(found[0]).toMatchObject({ type: 'public', asymmetricKeyType: 'rsa' });
      expect(found[1]).toBe(found[0]);
      expect(found[2]).toBe(found[0]);
      expect(auth.fetches()).toBe(1);
    } finally {
      await auth.close();
    }
  });

  it('refetches on an unknown kid after a rotation, and forgets keys auth no longer publishes', async () => {
    const { auth, keys } = await setup(1);
    await auth.publish('k1');
    try {
      expect(await keys.publicKey('k1')).toBeDefined();
      await auth.publish('k2');
      await new Promise((resolve) => setTimeout(resolve, 5)); // past the 1 ms refetch interval
      expect(await keys.publicKey('k2')).toBeDefined();
      expect(await keys.publicKey('k1')).toBeUndefined();
    } finally {
      await auth.close();
    }
  });

  it('fetches known keys again once the cache is older than the max age, so a withdrawn key stops verifying', async () => {
    const { auth, keys } = await setup(1, 1);
    await auth.publish('k1');
    try {
      expect(await keys.publicKey('k1')).toBeDefined();
      await auth.publish('k2'); // k1 withdrawn
      await new Promise((resolve) => setTimeout(resolve, 5)); // past the 1 ms max age
      // Answered from the cache while the refresh runs; after it, k1 is gone.
      expect(await keys.publicKey('k1')).toBeDefined();
      await keys.settled();
      expect(auth.fetches()).toBe(2);
      expect(await keys.publicKey('k1')).toBeUndefined();
    } finally {
      await auth.close();
    }
  });

  it('keeps verifying with known keys when auth cannot be reached for a refresh', async () => {
    const { auth, keys } = await setup(1, 1);
    await auth.publish('k1');
    expect(await keys.publicKey('k1')).toBeDefined();
    await auth.close();
    await new Promise((resolve) => setTimeout(resolve, 5)); // past the 1 ms max age
    expect(await keys.publicKey('k1')).toBeDefined();
  });

  it('refetches at most once per interval, however many unknown kids arrive', async () => {
    const { auth, keys } = await setup(60_000);
    await auth.publish('k1');
    try {
      await Promise.all(['x', 'y', 'z', 'w'].map((kid) => keys.publicKey(kid)));
      expect(await keys.publicKey('another')).toBeUndefined();
      expect(auth.fetches()).toBe(1);
    } finally {
      await auth.close();
    }
  });
});
