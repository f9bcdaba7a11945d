import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobsService } from 'src/common/jobs/jobs.service';
import { AppConfig } from 'src/config/app-config';
import { Hospital } from 'src/modules/hospitals/hospital.entity';
import { User } from 'src/modules/users/user.entity';
import { PartnerHttpFactory } from '../partner-http/partner-http.factory';
import { AdminH91160SyncController } from './admin-h91160-sync.controller';
import { H91160Appointment } from './appointment.entity';
import { AppointmentsController } from './appointments.controller';
import { AppointmentsService } from './appointments.service';
import { H91160_PARTNER, H91160Client } from './h91160.client';
import { H91160_SYNC_JOB, H91160SyncService } from './h91160-sync.service';
import { H91160SyncState } from './h91160-sync-state.entity';
import { HospitalDepartment } from './hospital-department.entity';

/** Without the appToken the base URL is not used: every call would only be refused. */
export function createH91160Client(config: AppConfig, factory: PartnerHttpFactory): H91160Client {
  const token = config.H91160_APP_TOKEN || undefined;
  const http = factory.create(H91160_PARTNER, token && config.H91160_BASE_URL, [token]);
  return new H91160Client(http, token);
}

/** 91160 (seed 003): hospitals and departments synced nightly, and patients' hospital appointments. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Hospital, HospitalDepartment, H91160SyncState, H91160Appointment, User]),
  ],
  controllers: [AppointmentsController, AdminH91160SyncController],
  providers: [
    { provide: H91160Client, inject: [AppConfig, PartnerHttpFactory], useFactory: createH91160Client },
    H91160SyncService,
    AppointmentsService,
  ],
})
export class H91160Module implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly sync: H91160SyncService,
    private readonly client: H91160Client,
    private readonly config: AppConfig,
  ) {}

  /**
   * The sync job, nightly when 91160 is configured. Not retried by the queue: a run that stops keeps its place,
   * and the next run (cron or operator) resumes there; the reads inside it are already retried.
   */
  onModuleInit(): void {
    this.jobs.register(H91160_SYNC_JOB, () => this.sync.run(), {
      retryLimit: 0,
      ...(this.client.configured ? { cron: this.config.H91160_SYNC_CRON } : {}),
    });
  }
}
