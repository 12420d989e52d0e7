import { Logger as NestLogger } from '@nestjs/common';
import type { Logger } from 'typeorm';

/**
 * TypeORM's logging without the query parameters: they hold password hashes, emails and display
 * names, which must not reach a log. A unique violation is an answer the services give (USER.EMAIL_TAKEN), not
 * a fault, so it is logged at debug level only.
 */
export class QueryLogger implements Logger {
  private readonly logger = new NestLogger('Database');

  logQuery(): void {}

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${query}`);
  }

  logQueryError(error: string | Error, query: string): void {
    const code = typeof error === 'object' ? (error as { code?: string }).code : undefined;
    const message = `query failed: ${typeof error === 'string' ? error : error.message} -- ${query}`;
    if (code === '23505') this.logger.debug(message);
    else this.logger.error(message);
  }

  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(message);
    else this.logger.log(message);
  }
}
