import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from 'src/modules/users/users.module';
import { Casebook } from './casebook.entity';
import { DiagnosesController } from './diagnoses.controller';
import { DiagnosesService } from './diagnoses.service';
import { DiagnosisViewsService } from './diagnosis-views.service';
import { Diagnosis } from './diagnosis.entity';

/**
 * Reading bookings (诊断): single ones, lists per project, doctor and patient, ratings, casebooks. The bookings
 * change in the projects module (BookingService). Depends on users only, so the projects module (or assistants)
 * can import this one for `DiagnosisViewsService` without a cycle.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Diagnosis, Casebook]), UsersModule],
  controllers: [DiagnosesController],
  providers: [DiagnosesService, DiagnosisViewsService],
  exports: [DiagnosisViewsService],
})
export class DiagnosesModule {}
