import { AddressInfo, createServer, Server } from 'node:net';
import { Kafka, LogEntry } from 'kafkajs';
import { KafkaCheck } from '@playball/platform/health';
import { kafkaCheckConfig } from '@playball/platform/kafka';
import { kafkaBrokers } from '../../support/infrastructure';

/** A kafkajs client from the check's settings whose log lines, if it wrote any, land in `logged`. */
function checkOf(brokers: string[], logged: LogEntry[]): KafkaCheck {
  const config = kafkaCheckConfig({ KAFKA_BROKERS: brokers, KAFKA_CLIENT_ID: 'health-test' });
  return new KafkaCheck(new Kafka({ ...config, logCreator: () => (entry) => logged.push(entry) }));
}

describe("the health check's Kafka client", () => {
  // A broker that is down, counted: the port accepts each connection and closes it at once.
  let server: Server;
  let attempts = 0;

  beforeAll(async () => {
    server = createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails a probe of a broker that is down after one connection attempt, and logs nothing itself', async () => {
    const logged: LogEntry[] = [];
    const check = checkOf([`127.0.0.1:${(server.address() as AddressInfo).port}`], logged);
    await expect(check.check()).rejects.toThrow();
    await check.close();
    expect(attempts).toBe(1);
    // The health controller logs the failure once, with this error's message.
    expect(logged).toEqual([]);
  });

  it('answers up with the number of brokers when the cluster answers', async () => {
    const check = checkOf(kafkaBrokers, []);
    try {
      // The brokers the cluster lists (the test's list names all of them, here and on the three-node cluster).
      await expect(check.check()).resolves.toEqual({ status: 'up', brokers: kafkaBrokers.length });
    } finally {
      await check.close();
    }
  });
});
