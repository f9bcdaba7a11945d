import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProjectsModule } from 'src/modules/projects/projects.module';
import { UsersModule } from 'src/modules/users/users.module';
import { Casebook } from './casebook.entity';
import { Diagnosis } from './diagnosis.entity';

/** Reading bookings (诊断): single ones, lists per project, doctor and patient, comments, casebooks. */
@Module({
  imports: [TypeOrmModule.forFeature([Diagnosis, Casebook]), ProjectsModule, UsersModule],
})
export class DiagnosesModule {}
