import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrgsModule } from 'src/modules/orgs/orgs.module';
import { RegionsModule } from 'src/modules/regions/regions.module';
import { ProfilesService } from './profiles.service';
import { UserStat } from './user-stat.entity';
import { UserStatsService } from './user-stats.service';
import { UserViewsService } from './user-views.service';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User, UserStat]), OrgsModule, RegionsModule],
  controllers: [UsersController],
  providers: [UsersService, UserViewsService, ProfilesService, UserStatsService],
  exports: [UsersService, UserViewsService, UserStatsService],
})
export class UsersModule {}
