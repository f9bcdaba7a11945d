import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import PgBoss from 'pg-boss';
import { EntityManager } from 'typeorm';
import { AppConfig } from 'src/config/app-config';
import { redactPersonalData } from 'src/common/crypto/redaction';

export type JobHandler<T> = (data: T) => Promise<void>;

export interface QueueOptions {
  retryLimit?: number;
  retryDelay?: number;
  retryBackoff?: boolean;
  /** Run on this cron schedule (in the platform zone) as well; pg-boss keeps one schedule across instances. */
  cron?: string;
}

export interface SendOptions {
  /** Enqueue inside this transaction: the job exists only if the change that causes it commits. */
  manager?: EntityManager;
  singletonKey?: string;
  startAfter?: Date | number;
}

/**
 * The Postgres job queue (pg-boss, schema `pgboss`). Modules register handlers while they initialise;
 * queues are created and workers started once the whole application has bootstrapped.
 */
@Injectable()
export class JobsService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Jobs');
  private readonly handlers = new Map<string, { handler: JobHandler<unknown>; options: QueueOptions }>();
  private boss?: PgBoss;

  constructor(private readonly config: AppConfig) {}

  register<T>(name: string, handler: JobHandler<T>, options: QueueOptions = {}): void {
    this.handlers.set(name, { handler: handler as JobHandler<unknown>, options });
  }

  async onModuleInit(): Promise<void> {
    this.boss = new PgBoss({
      connectionString: this.config.DATABASE_URL,
      schema: 'pgboss',
      max: 4,
      schedule: this.config.JOBS_WORKERS,
      application_name: 'clinic-jobs',
    });
    this.boss.on('error', (err: Error) => this.logger.error(err.message));
    await this.boss.start();
  }

  async onApplicationBootstrap(): Promise<void> {
    const boss = this.requireBoss();
    for (const [name, { handler, options }] of this.handlers) {
      const { cron, ...queue } = options;
      await boss.createQueue(name, { name, retryLimit: 5, retryDelay: 5, retryBackoff: true, ...queue });
      if (cron) await boss.schedule(name, cron, {}, { tz: this.config.TZ_NAME });
      if (!this.config.JOBS_WORKERS) continue;
      // Up to 10 jobs a fetch; each succeeds, or fails and is retried, on its own.
      await boss.work<unknown>(
        name,
        { pollingIntervalSeconds: this.config.JOBS_POLL_SECONDS, batchSize: 10 },
        async (jobs) => {
          const results = await Promise.allSettled(jobs.map((job) => handler(job.data)));
          for (const [i, r] of results.entries()) {
            if (r.status === 'fulfilled') continue;
            // Drivers' messages may quote a phone number; neither the log nor the job table keeps it.
            const reason = redactPersonalData(String(r.reason));
            this.logger.warn(`job ${name} ${jobs[i].id} failed: ${reason}`);
            await boss.fail(name, jobs[i].id, { message: reason });
          }
        },
      );
    }
  }

  async send<T extends object>(name: string, data: T, options: SendOptions = {}): Promise<string | null> {
    const { manager, ...rest } = options;
    const db = manager
      ? {
          executeSql: async (text: string, values: unknown[]) => ({
            rows: await manager.query<unknown[]>(text, values),
          }),
        }
      : undefined;
    return this.requireBoss().send(name, data, { ...rest, db });
  }

  async onModuleDestroy(): Promise<void> {
    await this.boss?.stop({ graceful: true, wait: true, timeout: 10_000 });
  }

  private requireBoss(): PgBoss {
    if (!this.boss) throw new Error('job queue not started');
    return this.boss;
  }
}
