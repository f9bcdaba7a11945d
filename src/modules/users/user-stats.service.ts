import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** The counters of `user_stat` a change may move (by a signed delta). */
export type StatDelta = Partial<
  Record<
    | 'scoreSum'
    | 'scoreCount'
    | 'patientCount'
    | 'visitsCount'
    | 'serviceMinutes'
    | 'creditSum'
    | 'creditCount'
    | 'punctualitySum'
    | 'punctualityCount'
    | 'joinProjectCount'
    | 'doneProjectCount'
    | 'helpCount',
    number
  >
>;

const COLUMN: Record<keyof StatDelta, string> = {
  scoreSum: 'score_sum',
  scoreCount: 'score_count',
  patientCount: 'patient_count',
  visitsCount: 'visits_count',
  serviceMinutes: 'service_minutes',
  creditSum: 'credit_sum',
  creditCount: 'credit_count',
  punctualitySum: 'punctuality_sum',
  punctualityCount: 'punctuality_count',
  joinProjectCount: 'join_project_count',
  doneProjectCount: 'done_project_count',
  helpCount: 'help_count',
};

/**
 * Moves an account's counters inside the caller's transaction, so they change together with the booking or
 * rating that causes them. `score` (the mean the directory sorts by) follows `score_sum / score_count`.
 */
@Injectable()
export class UserStatsService {
  async bump(manager: EntityManager, userId: number, delta: StatDelta): Promise<void> {
    const fields = (Object.keys(delta) as (keyof StatDelta)[]).filter((k) => delta[k]);
    if (!fields.length) return;
    const columns = fields.map((f) => COLUMN[f]);
    const values = fields.map((f) => delta[f] as number);
    const placeholders = values.map((_, i) => `$${i + 2}`);
    await manager.query(
      `INSERT INTO user_stat AS s (user_id, ${columns.join(', ')}) VALUES ($1, ${placeholders.join(', ')})
       ON CONFLICT (user_id) DO UPDATE SET ${columns.map((c) => `${c} = s.${c} + EXCLUDED.${c}`).join(', ')}`,
      [userId, ...values],
    );
    if (fields.includes('scoreSum') || fields.includes('scoreCount')) {
      await manager.query(
        `UPDATE user_stat SET score = CASE WHEN score_count > 0 THEN round(score_sum::numeric / score_count, 2) ELSE 0 END
         WHERE user_id = $1`,
        [userId],
      );
    }
  }
}
