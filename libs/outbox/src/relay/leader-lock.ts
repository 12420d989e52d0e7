import { Client, Notification } from 'pg';

/**
 * Leadership through a session-level PostgreSQL advisory lock on a dedicated connection. Whoever
 * holds it publishes; the others stand by. If the leader dies, PostgreSQL ends its session and
 * releases the lock, so a stand-by takes over without any lease to expire.
 *
 * A stand-by keeps its connection between attempts (one `pg_try_advisory_lock` per attempt), so N
 * instances cost N steady connections rather than a connect per instance every standby interval.
 * The leader's connection LISTENs on the outbox channel, so it is woken at each commit.
 */
export class LeaderLock {
  private client: Client | undefined;
  private holding = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly lockKey: string,
    private readonly channel: string,
    private readonly onNotify: () => void,
    /** Called as soon as a held lock's connection ends (the lock went with it). */
    private readonly onLost: () => void = () => {},
  ) {}

  get held(): boolean {
    return this.client !== undefined && this.holding;
  }

  /** One attempt: true when this instance is now (or still) the leader. */
  async tryAcquire(): Promise<boolean> {
    if (this.held) return true;
    const client = this.client ?? (await this.connect());
    try {
      const [{ locked }] = (
        await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [this.lockKey])
      ).rows;
      if (!locked) return false;
      await client.query(`listen ${this.channel}`);
      this.holding = true;
      return true;
    } catch (error) {
      await this.release();
      throw error;
    }
  }

  /** Ends the session, which releases the lock. */
  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.holding = false;
    if (client) await client.end().catch(() => undefined);
  }

  private async connect(): Promise<Client> {
    const client = new Client({
      connectionString: this.databaseUrl,
      application_name: this.lockKey,
      // Without these a half-open connection (no RST) would leave the relay believing it leads.
      // Linux's default first probe comes after 2 h of silence; 10 s bounds a split-brain to
      // about 10 s plus the probes (9 × 75 s by default, so set net.ipv4.tcp_keepalive_* in production).
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: 5_000,
      // A stand-by reuses this connection: on a half-open one, a lock attempt would otherwise wait
      // for TCP to give up (about 15 min) while the leader may be gone. The query takes milliseconds.
      query_timeout: 5_000,
    });
    // Bound to this client: the end of a client released earlier must not touch a newer one.
    const lost = () => {
      if (this.client !== client) return;
      const held = this.holding;
      this.client = undefined;
      this.holding = false;
      void client.end().catch(() => undefined);
      if (held) this.onLost();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message: Notification) => {
      if (this.holding && message.channel === this.channel) this.onNotify();
    });
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return client;
  }
}
