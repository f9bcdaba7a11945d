import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CodesModule } from 'src/modules/codes/codes.module';
import { ProjectsModule } from 'src/modules/projects/projects.module';
import { UsersModule } from 'src/modules/users/users.module';
import { AssistantPatient } from './assistant-patient.entity';

/** Assistants (医助): their bound patients, booking on a patient's behalf, their lists and homepage. */
@Module({
  imports: [TypeOrmModule.forFeature([AssistantPatient]), UsersModule, ProjectsModule, CodesModule],
})
export class AssistantsModule {}
