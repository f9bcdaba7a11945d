import type { Logger } from 'typeorm';

/**
 * TypeORM's logger for the app: it only counts statements (errors surface as exceptions and are logged by the
 * exception filter). Tests read `count` around a request to prove a list runs a fixed number of queries.
 */
export class QueryCounter implements Logger {
  count = 0;

  logQuery(): void {
    this.count += 1;
  }

  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
