import { AbstractLogger } from 'typeorm';

/** A TypeORM logger that keeps every statement a data source sends (with `logging: ['query']`), in order. */
export class StatementLog extends AbstractLogger {
  statements: string[] = [];

  protected writeLog(): void {}

  override logQuery(query: string): void {
    this.statements.push(query);
  }

  /** The statements sent since `from` (a length of `statements` taken before). */
  since(from: number): string[] {
    return this.statements.slice(from);
  }
}
