import autocannon from 'autocannon';
import type { Scenario } from './scenarios';

export interface LoadOptions {
  connections: number;
  durationS: number;
}

/** What one timed window measured. Latencies in milliseconds. */
export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  s2xx: number;
  s4xx: number;
  s5xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  statusCodes: Record<string, number>;
}

/** Each window continues the scenario's request counter, so a warm-up and the window send different requests. */
const counters = new Map<string, number>();

/** Drives the scenario with autocannon for a fixed duration and number of connections. */
export async function runLoad(
  baseUrl: string,
  scenario: Scenario,
  options: LoadOptions,
): Promise<LoadResult> {
  let n = counters.get(scenario.name) ?? 0;
  const result = await autocannon({
    url: baseUrl,
    connections: options.connections,
    duration: options.durationS,
    timeout: 30,
    requests: [
      {
        setupRequest: (req) => {
          const r = scenario.request(n);
          n += 1;
          return { ...req, method: r.method, path: r.path, headers: r.headers, body: r.body };
        },
      },
    ],
  });
  counters.set(scenario.name, n);
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, Number(count)]),
  );
  const classCount = (digit: string) =>
    Object.entries(statusCodes)
      .filter(([code]) => code.startsWith(digit))
      .reduce((sum, [, count]) => sum + count, 0);
  const requests = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return {
    requests,
    rps: Math.round(requests / result.duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    s2xx: classCount('2'),
    s4xx: classCount('4'),
    s5xx: classCount('5'),
    errors: result.errors,
    statusCodes,
  };
}
