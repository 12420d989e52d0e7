/**
 * Kafka consumers whose server has begun to close. kafkajs's disconnect() waits for the message in
 * hand, and a standalone Nest microservice closes its transport before any module hook runs, so a
 * retry loop that only listened to Inbox.stop() would hold the shutdown forever (a database that
 * stays down). The server marks its consumer here first; the inbox gives the message up.
 */
const closing = new WeakSet<object>();

export function markClosing(consumer: object): void {
  closing.add(consumer);
}

export function isClosing(consumer: object | null | undefined): boolean {
  return consumer !== null && consumer !== undefined && closing.has(consumer);
}
