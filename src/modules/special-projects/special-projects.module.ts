import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProjectsModule } from 'src/modules/projects/projects.module';
import { SpecialProject } from './special-project.entity';

/** 专题活动: operator-run events grouping free clinics (3.5.1, 3.5.2 and their operator routes). */
@Module({
  imports: [TypeOrmModule.forFeature([SpecialProject]), ProjectsModule],
})
export class SpecialProjectsModule {}
