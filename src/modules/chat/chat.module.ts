import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TokenStrategy } from 'src/common/auth/token.strategy';
import { AlihealthModule } from 'src/integrations/alihealth/alihealth.module';
import { User } from 'src/modules/users/user.entity';
import { UsersModule } from 'src/modules/users/users.module';
import { ChatDialog } from './chat-dialog.entity';
import { ChatMessage } from './chat-message.entity';
import { ChatController } from './chat.controller';
import { ChatGateway } from './chat.gateway';
import { ChatRepository } from './chat.repository';
import { ChatService } from './chat.service';

/** Doctor–patient messages (留言 v2.0): dialogs, messages, read state and real-time delivery. */
@Module({
  imports: [TypeOrmModule.forFeature([ChatDialog, ChatMessage, User]), UsersModule, AlihealthModule],
  controllers: [ChatController],
  // TokenStrategy: the socket handshake is checked by the same rules as the REST token guard.
  providers: [ChatService, ChatRepository, ChatGateway, TokenStrategy],
})
export class ChatModule {}
