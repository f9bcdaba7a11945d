/**
 * How one outbound call failed, after any retries:
 * - `not_configured`: base URL or credentials missing; nothing was sent.
 * - `circuit_open`: the partner's breaker is open; nothing was sent.
 * - `timeout`: no complete answer in time (the request may have reached the partner).
 * - `network`: refused, reset, DNS (`unsent` says whether the request certainly never left).
 * - `status`: an HTTP status the partner does not use for answers (5xx, or 4xx outside its error shapes).
 * - `protocol`: a body that is not what the partner documents (not JSON, missing fields).
 * - `auth`: the partner refused our credentials or token.
 * - `api`: the partner answered with its own business error (`partnerCode`, `partnerMessage`).
 */
export type PartnerFailure =
  'not_configured' | 'circuit_open' | 'timeout' | 'network' | 'status' | 'protocol' | 'auth' | 'api';

export interface PartnerErrorDetails {
  httpStatus?: number;
  /** The partner's own error code, as it sent it (kept for logs and for mapping to our codes). */
  partnerCode?: string;
  /** The partner's own message, scrubbed of secrets. */
  partnerMessage?: string;
  /** The request certainly never reached the partner: safe to send again, even when not idempotent. */
  unsent?: boolean;
  /** The partner says "busy, try again" although the call was answered. */
  retryable?: boolean;
}

export class PartnerCallError extends Error {
  readonly httpStatus?: number;
  readonly partnerCode?: string;
  readonly partnerMessage?: string;
  readonly unsent: boolean;
  readonly retryable: boolean;

  constructor(
    readonly partner: string,
    readonly op: string,
    readonly kind: PartnerFailure,
    message: string,
    details: PartnerErrorDetails = {},
  ) {
    super(`${partner} ${op}: ${message}`);
    this.name = 'PartnerCallError';
    this.httpStatus = details.httpStatus;
    this.partnerCode = details.partnerCode;
    this.partnerMessage = details.partnerMessage;
    this.unsent = details.unsent ?? (kind === 'not_configured' || kind === 'circuit_open');
    this.retryable = details.retryable ?? false;
  }

  /** Failures that say the partner is unhealthy; its refusals (`api`, `auth`, a 4xx) do not open the breaker. */
  get countsAgainstPartner(): boolean {
    return (
      this.kind === 'timeout' ||
      this.kind === 'network' ||
      this.kind === 'protocol' ||
      (this.kind === 'status' && (this.httpStatus ?? 500) >= 500)
    );
  }
}

/** Removes credentials from text that may reach a log or an error message. */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  return secrets
    .filter((s): s is string => typeof s === 'string' && s.length >= 4)
    .reduce((out, s) => out.split(s).join('***'), text);
}
