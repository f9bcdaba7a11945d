import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DoctorsModule } from 'src/modules/doctors/doctors.module';
import { UsersModule } from 'src/modules/users/users.module';
import { Follow } from './follow.entity';
import { FollowsController } from './follows.controller';
import { FollowsService } from './follows.service';

@Module({
  imports: [TypeOrmModule.forFeature([Follow]), UsersModule, DoctorsModule],
  controllers: [FollowsController],
  providers: [FollowsService],
})
export class SocialModule {}
