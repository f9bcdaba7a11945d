import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BannersModule } from 'src/modules/banners/banners.module';
import { CodesModule } from 'src/modules/codes/codes.module';
import { DiagnosesModule } from 'src/modules/diagnoses/diagnoses.module';
import { NewsModule } from 'src/modules/news/news.module';
import { ProjectsModule } from 'src/modules/projects/projects.module';
import { RegionsModule } from 'src/modules/regions/regions.module';
import { UsersModule } from 'src/modules/users/users.module';
import { AssistantBookingsService } from './assistant-bookings.service';
import { AssistantPatient } from './assistant-patient.entity';
import { AssistantPatientsService } from './assistant-patients.service';
import { AssistantsController } from './assistants.controller';
import { AssistantsService } from './assistants.service';
import { MyAssistantsController } from './my-assistants.controller';

/** Assistants (医助): their bound patients, booking on a patient's behalf, their lists and homepage. */
@Module({
  imports: [
    TypeOrmModule.forFeature([AssistantPatient]),
    UsersModule,
    ProjectsModule,
    DiagnosesModule,
    CodesModule,
    RegionsModule,
    BannersModule,
    NewsModule,
  ],
  controllers: [AssistantsController, MyAssistantsController],
  providers: [AssistantPatientsService, AssistantBookingsService, AssistantsService],
})
export class AssistantsModule {}
