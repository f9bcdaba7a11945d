import { QueryCounter } from 'src/database/query-counter';
import type { TestApp } from './test-app';

/** Runs `fn` and returns how many SQL statements the app issued meanwhile (nothing else may run concurrently). */
export async function countQueries(t: TestApp, fn: () => Promise<unknown>): Promise<number> {
  const counter = t.db.logger as QueryCounter;
  const before = counter.count;
  await fn();
  return counter.count - before;
}
