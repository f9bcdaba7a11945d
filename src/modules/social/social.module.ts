import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Follow } from './follow.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Follow])],
})
export class SocialModule {}
