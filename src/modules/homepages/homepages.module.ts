import { Module } from '@nestjs/common';
import { BannersModule } from 'src/modules/banners/banners.module';
import { NewsModule } from 'src/modules/news/news.module';
import { ProjectsModule } from 'src/modules/projects/projects.module';
import { SpecialProjectsModule } from 'src/modules/special-projects/special-projects.module';
import { UsersModule } from 'src/modules/users/users.module';
import { HomepagesController } from './homepages.controller';
import { HomepagesRepository } from './homepages.repository';
import { HomepagesService } from './homepages.service';

/** The apps' homepages: 3.2.16 `/doctor/index` and 3.3.19 `/custom/homepage`. */
@Module({
  imports: [ProjectsModule, BannersModule, NewsModule, UsersModule, SpecialProjectsModule],
  controllers: [HomepagesController],
  providers: [HomepagesService, HomepagesRepository],
})
export class HomepagesModule {}
