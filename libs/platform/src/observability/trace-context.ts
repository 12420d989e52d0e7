import { randomFillSync } from 'node:crypto';
import { currentContext, runWithContext } from './work-context';

// W3C Trace Context, level 1: version, 16-byte trace id, 8-byte parent (span) id, flags, lowercase
// hex. Version 00 ends there; a later version may append fields, which are ignored; ff is invalid.
const traceparentPattern = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const allZeros = /^0+$/;

// Ids are cut from a 4 KiB buffer of random bytes, refilled when used up (every 128 PATCHes that
// start a trace: 32 bytes each): a randomBytes per id was one call into OpenSSL each, 2 % of auth's
// CPU under PATCH load.
const randomPool = Buffer.alloc(4096);
let poolOffset = randomPool.length;

function randomHex(bytes: number): string {
  if (poolOffset + bytes > randomPool.length) {
    randomFillSync(randomPool);
    poolOffset = 0;
  }
  poolOffset += bytes;
  return randomPool.toString('hex', poolOffset - bytes, poolOffset);
}

/** The trace id of a valid `traceparent`, or undefined for anything else (which is then ignored). */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  const match = traceparent === undefined ? null : traceparentPattern.exec(traceparent.trim());
  if (!match) return undefined;
  const [, version, traceId, parentId, , rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (allZeros.test(traceId) || allZeros.test(parentId)) return undefined;
  return traceId;
}

/**
 * A `traceparent` for work done on behalf of `incoming`: the same trace with a new span id, or a
 * new trace (not sampled: nothing records spans here) when there is no valid incoming one.
 */
export function childTraceparent(incoming: string | undefined): string {
  const traceId = traceIdOf(incoming);
  const flags = traceId ? incoming!.trim().slice(53, 55) : '00';
  return `00-${traceId ?? randomHex(16)}-${randomHex(8)}-${flags}`;
}

/**
 * Runs `work` as a span of `incoming`'s trace: an HTTP request, or the handling of an event. Events
 * captured meanwhile carry its `traceparent`, so one trace id follows a change across services.
 */
export function runInTrace<T>(incoming: string | undefined, work: () => T): T {
  return runWithContext({ traceparent: childTraceparent(incoming) }, work);
}

/** Runs `work` as the span `traceparent` names (one startSpan made): what it captures carries that on. */
export function runAsSpan<T>(traceparent: string, work: () => T): T {
  return runWithContext({ traceparent }, work);
}

/** The `traceparent` of the work in progress, if it runs in a trace. */
export function currentTraceparent(): string | undefined {
  return currentContext()?.traceparent;
}
