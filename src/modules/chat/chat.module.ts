import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from 'src/modules/users/users.module';
import { ChatDialog } from './chat-dialog.entity';
import { ChatMessage } from './chat-message.entity';

/** Doctor–patient messages (留言 v2.0): dialogs, messages, read state and real-time delivery. */
@Module({
  imports: [TypeOrmModule.forFeature([ChatDialog, ChatMessage]), UsersModule],
})
export class ChatModule {}
