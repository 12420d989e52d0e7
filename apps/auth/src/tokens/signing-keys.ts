import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, JSONWebKeySet, JWK } from 'jose';

export const SIGNING_KEYS = Symbol('SIGNING_KEYS');

export const JWT_ALGORITHM = 'RS256';

/** The key that signs new tokens, and every public key a token may still be verified with. */
export interface SigningKeys {
  kid: string;
  privateKey: KeyObject;
  /** The signing key's public key first, then the other verification keys; served as /.well-known/jwks.json. */
  jwks: JSONWebKeySet;
}

export class SigningKeyError extends Error {
  override readonly name = 'SigningKeyError';
}

/**
 * Builds the key set from PEM text. Each `kid` is the key's RFC 7638 thumbprint, so every instance
 * (and every restart) that holds the same key names it the same way without configuring a kid.
 */
export async function signingKeys(privateKeyPem: string, verificationKeysPem = ''): Promise<SigningKeys> {
  const privateKey = parseKey(() => createPrivateKey(unescapeNewlines(privateKeyPem)), 'JWT_PRIVATE_KEY');
  const current = await publicJwk(createPublicKey(privateKey));
  const others = await Promise.all(
    splitPem(unescapeNewlines(verificationKeysPem)).map((pem) =>
      publicJwk(parseKey(() => createPublicKey(pem), 'JWT_VERIFICATION_KEYS')),
    ),
  );
  const distinct = others.filter(
    (jwk, i) => jwk.kid !== current.kid && others.findIndex((o) => o.kid === jwk.kid) === i,
  );
  return { kid: current.kid as string, privateKey, jwks: { keys: [current, ...distinct] } };
}

async function publicJwk(key: KeyObject): Promise<JWK> {
  if (key.asymmetricKeyType !== 'rsa') throw new SigningKeyError(`JWT keys must be RSA keys for ${JWT_ALGORITHM}`);
  // 2048 bits is the floor RFC 7518 sets for RS256.
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
    throw new SigningKeyError('JWT keys must be at least 2048 bits');
  const jwk = key.export({ format: 'jwk' }) as JWK;
  const publicPart = { kty: jwk.kty, n: jwk.n, e: jwk.e };
  return { ...publicPart, kid: await calculateJwkThumbprint(publicPart), alg: JWT_ALGORITHM, use: 'sig' };
}

/** Never echoes the key: an error message may end up in a log. */
function parseKey(parse: () => KeyObject, variable: string): KeyObject {
  try {
    return parse();
  } catch {
    throw new SigningKeyError(`${variable} is not a PEM-encoded RSA key`);
  }
}

/** Environment files often carry a PEM on one line with literal `\n`s. */
function unescapeNewlines(pem: string): string {
  return pem.replace(/\\n/g, '\n');
}

function splitPem(text: string): string[] {
  return text.match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g) ?? [];
}
