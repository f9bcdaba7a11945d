import { Module } from '@nestjs/common';
import { ProjectsModule } from 'src/modules/projects/projects.module';

/** The apps' homepages: 3.2.16 `/doctor/index` and 3.3.19 `/custom/homepage`. */
@Module({
  imports: [ProjectsModule],
})
export class HomepagesModule {}
