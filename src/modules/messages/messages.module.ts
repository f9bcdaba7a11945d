import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessageRead } from './message-read.entity';
import { Message } from './message.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Message, MessageRead])],
})
export class MessagesModule {}
