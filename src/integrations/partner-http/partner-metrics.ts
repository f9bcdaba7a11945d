import type { PartnerFailure } from './partner-call.error';

/** The last this-many call durations per partner feed the latency percentiles. */
const LATENCY_WINDOW = 512;

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface PartnerStats {
  partner: string;
  calls: number;
  successes: number;
  failures: Partial<Record<PartnerFailure, number>>;
  retries: number;
  breaker: BreakerState;
  breaker_opens: number;
  latency_ms: { p50: number | null; p99: number | null; max: number | null };
  last_failure: { at: string; kind: PartnerFailure; op: string; message: string } | null;
}

class PartnerCounters {
  calls = 0;
  successes = 0;
  retries = 0;
  breakerOpens = 0;
  breaker: BreakerState = 'closed';
  readonly failures: Partial<Record<PartnerFailure, number>> = {};
  lastFailure: PartnerStats['last_failure'] = null;
  private readonly latencies: number[] = [];
  private next = 0;

  recordLatency(ms: number): void {
    if (this.latencies.length < LATENCY_WINDOW) this.latencies.push(ms);
    else this.latencies[this.next] = ms;
    this.next = (this.next + 1) % LATENCY_WINDOW;
  }

  percentile(p: number): number | null {
    if (this.latencies.length === 0) return null;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  }
}

/**
 * Counters of every partner's outbound calls in this process, shown to operators at `GET /admin/partners`.
 * A call is one logical request (retries counted apart); its latency spans all of its attempts.
 */
export class PartnerMetrics {
  private readonly partners = new Map<string, PartnerCounters>();

  private of(partner: string): PartnerCounters {
    let counters = this.partners.get(partner);
    if (!counters) this.partners.set(partner, (counters = new PartnerCounters()));
    return counters;
  }

  register(partner: string): void {
    this.of(partner);
  }

  succeeded(partner: string, ms: number): void {
    const c = this.of(partner);
    c.calls += 1;
    c.successes += 1;
    c.recordLatency(ms);
  }

  failed(partner: string, op: string, kind: PartnerFailure, message: string, ms: number): void {
    const c = this.of(partner);
    c.calls += 1;
    c.failures[kind] = (c.failures[kind] ?? 0) + 1;
    c.lastFailure = { at: new Date().toISOString(), kind, op, message };
    if (kind !== 'circuit_open' && kind !== 'not_configured') c.recordLatency(ms);
  }

  retried(partner: string): void {
    this.of(partner).retries += 1;
  }

  breakerChanged(partner: string, state: BreakerState): void {
    const c = this.of(partner);
    if (state === 'open' && c.breaker !== 'open') c.breakerOpens += 1;
    c.breaker = state;
  }

  snapshot(): PartnerStats[] {
    return [...this.partners.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([partner, c]) => ({
        partner,
        calls: c.calls,
        successes: c.successes,
        failures: { ...c.failures },
        retries: c.retries,
        breaker: c.breaker,
        breaker_opens: c.breakerOpens,
        latency_ms: { p50: c.percentile(50), p99: c.percentile(99), max: c.percentile(100) },
        last_failure: c.lastFailure,
      }));
  }
}
