import { DataSource } from 'typeorm';
import { HealthCheck, HealthCheckResult } from './health';

export class DatabaseCheck implements HealthCheck {
  readonly name = 'database';
  readonly critical = true;

  constructor(private readonly dataSource: DataSource) {}

  async check(): Promise<HealthCheckResult> {
    await this.dataSource.query('select 1');
    return { status: 'up' };
  }
}
