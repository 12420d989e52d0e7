import { Logger, OnApplicationBootstrap, OnModuleDestroy, Provider } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { collectDefaultMetrics, register } from 'prom-client';

collectDefaultMetrics();

export interface MetricsListenerEnv {
  METRICS_HOST: string;
  METRICS_PORT: number;
}

/**
 * `GET /metrics` (Prometheus) on a listener of its own, off the API port: the metrics name routes,
 * outcomes and backlog sizes, which is for the operator's scraper, not for whoever reaches the
 * API. METRICS_HOST (default 127.0.0.1) and METRICS_PORT choose where; port 0 takes a free one
 * (tests), read back with `url`. Opened when the app starts, closed with it.
 */
export class MetricsServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MetricsServer.name);
  private server: Server | undefined;

  constructor(private readonly env: MetricsListenerEnv) {}

  async onApplicationBootstrap(): Promise<void> {
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      register.metrics().then(
        (body) => response.writeHead(200, { 'content-type': register.contentType }).end(body),
        (error: Error) => {
          this.logger.error(`metrics: ${error.message}`);
          response.writeHead(500).end();
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.env.METRICS_PORT, this.env.METRICS_HOST, resolve);
    });
    this.server = server;
    this.logger.log(`metrics on ${this.url}`);
  }

  /** Where `/metrics` is served, once the app has started. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the metrics listener is not open');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}/metrics`;
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export function metricsServerProvider(env: MetricsListenerEnv): Provider {
  return { provide: MetricsServer, useValue: new MetricsServer(env) };
}
