import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { JobsService } from 'src/common/jobs/jobs.service';
import { AppConfig } from 'src/config/app-config';
import { PartnerCallError } from '../partner-http/partner-call.error';
import { AlihealthClient } from './alihealth.client';
import { ClaimedDelivery, DeliveryOutcome, FollowupRepository } from './followup.repository';
import { DELIVER_JOB, DeliverJob, FollowupService } from './followup.service';

export const SWEEP_JOB = 'alihealth.followup.sweep';

/**
 * Retries of a drain that met a failure which certainly did not deliver (partner down, circuit open, busy):
 * after about 1-2 s, doubling (pg-boss backoff) to about an hour; beyond that the sweep takes over.
 */
const DELIVER_RETRY = { retryLimit: 12, retryDelay: 1, retryBackoff: true };
/** Never shorter than this, so a slow but live call is not taken for a dead worker. */
const MIN_STALE_CLAIM_MS = 5 * 60_000;

/** Where a failed call leaves the delivery. */
type Verdict = 'pending' | 'uncertain' | 'failed';

/**
 * What a failure says about whether the message arrived:
 * - certainly not, and worth repeating (`pending`): not configured, circuit open, connection refused, the
 *   gateway refusing our credentials (25/26/27: fixed by an operator, then delivered) or saying "try later"
 *   (`isp.*`, 7, 15);
 * - maybe (`uncertain`, never repeated automatically): timeout, connection lost after sending, 5xx, an answer
 *   we cannot read;
 * - certainly not, and repeating would not help (`failed`): the partner's refusal of this message (`isv.*`,
 *   `result1.success=false`, other gateway codes) or a 4xx.
 */
export function verdictOf(err: unknown): Verdict {
  if (!(err instanceof PartnerCallError)) return 'uncertain';
  switch (err.kind) {
    case 'not_configured':
    case 'circuit_open':
    case 'auth':
      return 'pending';
    case 'network':
      return err.unsent ? 'pending' : 'uncertain';
    case 'timeout':
    case 'protocol':
      return 'uncertain';
    case 'status':
      return (err.httpStatus ?? 500) >= 500 ? 'uncertain' : 'failed';
    case 'api':
      return err.retryable ? 'pending' : 'failed';
  }
}

const clip = (text: string | undefined, max: number): string | null => (text ? text.slice(0, max) : null);

function failureOutcome(status: Verdict, err: unknown): DeliveryOutcome {
  if (!(err instanceof PartnerCallError))
    return { status, error: { kind: 'internal', code: null, message: clip(String(err), 256) } };
  const code = err.partnerCode ?? (err.httpStatus ? `HTTP ${err.httpStatus}` : undefined);
  return {
    status,
    error: { kind: err.kind, code: clip(code, 128), message: clip(err.partnerMessage ?? err.message, 256) },
  };
}

/**
 * Delivers follow-up messages: at most one call per message unless an operator resends it, and per dialog in
 * message order. A job drains its dialog: claims the oldest pending delivery (`pending` → `sending`, see
 * `FollowupRepository.claimNext`), calls the partner, writes the outcome, and goes on to the next. A failure
 * that certainly did not deliver puts the delivery back to `pending` and fails the job, so the queue retries
 * with backoff; a sweep every minute gives up on claims of dead workers (`uncertain`) and queues a job for every
 * dialog whose pending deliveries have none left, so an outage of any length ends in delivery.
 */
@Injectable()
export class FollowupDeliveryService implements OnModuleInit {
  private readonly logger = new Logger('Followup');

  constructor(
    private readonly repo: FollowupRepository,
    private readonly followups: FollowupService,
    private readonly client: AlihealthClient,
    private readonly jobs: JobsService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.register<DeliverJob>(DELIVER_JOB, (job) => this.drain(job.dialogId), DELIVER_RETRY);
    this.jobs.register(SWEEP_JOB, async () => void (await this.sweep()), {
      cron: '* * * * *',
      retryLimit: 0,
    });
  }

  /** Delivers the dialog's pending messages in order; throws (the job is retried) when one must wait. */
  async drain(dialogId: number): Promise<void> {
    for (;;) {
      const claim = await this.repo.claimNext(dialogId);
      // Nothing pending, or another worker is sending for this dialog and will go on to the rest.
      if (!claim) return;
      const verdict = await this.deliver(claim);
      if (verdict === 'pending')
        throw new Error(`followup delivery ${claim.id} of dialog ${dialogId} waits for the partner`);
    }
  }

  /** Stale claims become `uncertain`; dialogs with pending deliveries and no job get one. */
  async sweep(): Promise<{ stale: number; requeued: number }> {
    const c = this.config;
    const longestCall =
      c.PARTNER_TIMEOUT_MS * (c.PARTNER_RETRIES + 1) + c.PARTNER_RETRY_DELAY_MS * 2 ** c.PARTNER_RETRIES;
    const stale = await this.repo.giveUpStaleClaims(Math.max(MIN_STALE_CLAIM_MS, 2 * longestCall));
    if (stale)
      this.logger.error(`${stale} follow-up deliveries were claimed by a worker that stopped: now uncertain`);
    const dialogs = await this.repo.orphanedDialogs(DELIVER_JOB);
    for (const dialogId of dialogs) await this.followups.enqueue(undefined, dialogId);
    if (dialogs.length)
      this.logger.warn(`re-queued pending follow-up deliveries of ${dialogs.length} dialogs`);
    return { stale, requeued: dialogs.length };
  }

  private async deliver(claim: ClaimedDelivery): Promise<DeliveryOutcome['status']> {
    let outcome: DeliveryOutcome;
    try {
      const sent = await this.client.sendFollowup(claim.request);
      outcome = { status: 'delivered', partnerMessageId: sent.id };
    } catch (err) {
      outcome = failureOutcome(verdictOf(err), err);
    }
    if (!(await this.repo.finish(claim, outcome)))
      this.logger.warn(
        `followup delivery ${claim.id}: outcome ${outcome.status} came after the claim was taken over`,
      );
    if (outcome.status === 'uncertain')
      this.logger.error(
        `followup delivery ${claim.id} may have arrived (${outcome.error?.kind}): uncertain, awaiting an operator`,
      );
    else if (outcome.status === 'failed')
      this.logger.warn(`followup delivery ${claim.id} refused by the partner (${outcome.error?.code ?? ''})`);
    return outcome.status;
  }
}
