import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrgsModule } from 'src/modules/orgs/orgs.module';
import { UserStat } from './user-stat.entity';
import { UserViewsService } from './user-views.service';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User, UserStat]), OrgsModule],
  controllers: [UsersController],
  providers: [UsersService, UserViewsService],
  exports: [UsersService, UserViewsService],
})
export class UsersModule {}
