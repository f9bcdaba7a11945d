import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProjectsModule } from 'src/modules/projects/projects.module';
import { SpecialProject } from './special-project.entity';
import { SpecialProjectViewsService } from './special-project-views.service';
import { SpecialProjectsAdminController } from './special-projects-admin.controller';
import { SpecialProjectsAdminService } from './special-projects-admin.service';
import { SpecialProjectsController } from './special-projects.controller';
import { SpecialProjectsRepository } from './special-projects.repository';
import { SpecialProjectsService } from './special-projects.service';

/** 专题活动: operator-run events grouping free clinics (3.5.1, 3.5.2 and their operator routes). */
@Module({
  imports: [TypeOrmModule.forFeature([SpecialProject]), ProjectsModule],
  controllers: [SpecialProjectsController, SpecialProjectsAdminController],
  providers: [
    SpecialProjectsService,
    SpecialProjectsAdminService,
    SpecialProjectViewsService,
    SpecialProjectsRepository,
  ],
  exports: [SpecialProjectsService],
})
export class SpecialProjectsModule {}
