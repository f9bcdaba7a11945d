import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobsService } from 'src/common/jobs/jobs.service';
import { Casebook } from 'src/modules/diagnoses/casebook.entity';
import { Diagnosis } from 'src/modules/diagnoses/diagnosis.entity';
import { MessagesModule } from 'src/modules/messages/messages.module';
import { PaymentsModule } from 'src/modules/payments/payments.module';
import { UsersModule } from 'src/modules/users/users.module';
import { BookingService } from './booking.service';
import { BookingsController } from './bookings.controller';
import { ProjectListsController } from './project-lists.controller';
import { ProjectListsService } from './project-lists.service';
import { ProjectViewsService } from './project-views.service';
import { ProjectSlot } from './project-slot.entity';
import { Project } from './project.entity';
import { ProjectsController } from './projects.controller';
import { ProjectsService } from './projects.service';

export const NO_SHOW_JOB = 'bookings.mark-no-shows';
export const RELEASE_HOLDS_JOB = 'bookings.release-unpaid-holds';

/** Free clinics, their slots and the bookings made in them (publishing, joining, every change of state). */
@Module({
  imports: [
    TypeOrmModule.forFeature([Project, ProjectSlot, Diagnosis, Casebook]),
    UsersModule,
    MessagesModule,
    PaymentsModule,
  ],
  controllers: [ProjectsController, BookingsController, ProjectListsController],
  providers: [ProjectsService, BookingService, ProjectViewsService, ProjectListsService],
  exports: [ProjectsService, BookingService, ProjectViewsService],
})
export class ProjectsModule implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly bookings: BookingService,
  ) {}

  /** Scheduled bookkeeping: no-shows every five minutes, expired payment holds every minute (both idempotent). */
  onModuleInit(): void {
    this.jobs.register(NO_SHOW_JOB, async () => void (await this.bookings.markNoShows()), {
      cron: '*/5 * * * *',
      retryLimit: 2,
    });
    // Every minute, seats held for an unpaid deposit past PAYMENT_TIMEOUT_MINUTES go back on offer.
    this.jobs.register(RELEASE_HOLDS_JOB, async () => void (await this.bookings.releaseUnpaidHolds()), {
      cron: '* * * * *',
      retryLimit: 2,
    });
  }
}
