import { Logger } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Request } from 'express';
import type { Namespace, Socket } from 'socket.io';
import { TokenStrategy } from 'src/common/auth/token.strategy';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import type { ChatDialog } from './chat-dialog.entity';
import type { ChatMessageView } from './chat.view';

export const CHAT_NAMESPACE = '/chat';
export const CHAT_MESSAGE_EVENT = 'chat:message';
export const CHAT_READ_EVENT = 'chat:read';

/** Every socket of an account joins its room, so an emit reaches all of the account's devices. */
export const userRoom = (userId: number) => `user:${userId}`;

interface ChatSocketData {
  userId: number;
}
type ChatSocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, ChatSocketData>;

/**
 * The handshake as a request the token strategy reads: `auth.token` (browsers cannot set headers on a
 * WebSocket) takes the place of `X-auth-token`; otherwise the handshake's own headers are used.
 */
function handshakeRequest(socket: Socket): Request {
  const { token } = socket.handshake.auth as { token?: unknown };
  const headers = { ...socket.handshake.headers };
  if (typeof token === 'string' && token.trim()) headers['x-auth-token'] = token.trim();
  return { headers } as Request;
}

/**
 * Server-to-client only: messages are sent with `POST /chat`, and this pushes them (and read receipts) to
 * the parties' sockets. Tokens are checked in the namespace middleware, so a refused client never connects
 * and gets `connect_error` with `data: {error_code, error_message}`.
 */
@WebSocketGateway({ namespace: CHAT_NAMESPACE })
export class ChatGateway implements OnGatewayInit<Namespace>, OnGatewayConnection<ChatSocket> {
  private readonly logger = new Logger(ChatGateway.name);

  @WebSocketServer()
  private readonly nsp: Namespace;

  constructor(private readonly strategy: TokenStrategy) {}

  afterInit(nsp: Namespace): void {
    nsp.use((socket: ChatSocket, next) => {
      this.authenticate(socket).then(
        () => next(),
        (err: unknown) => next(this.refusal(err)),
      );
    });
  }

  handleConnection(socket: ChatSocket): void {
    void socket.join(userRoom(socket.data.userId));
  }

  /** `chat:message` to the recipient's sockets. */
  delivered(message: ChatMessageView): void {
    this.nsp.to(userRoom(message.to_user_id)).emit(CHAT_MESSAGE_EVENT, message);
  }

  /** `chat:read` to both parties: the sender sees its messages read, the reader's other devices clear badges. */
  read(dialog: ChatDialog, readerId: number): void {
    this.nsp
      .to([userRoom(dialog.patientUserId), userRoom(dialog.doctorUserId)])
      .emit(CHAT_READ_EVENT, { dialog_id: String(dialog.id), reader_id: readerId });
  }

  /** Same token rules as the REST guard (expired, revoked, disabled accounts refused); only the two chat roles. */
  private async authenticate(socket: ChatSocket): Promise<void> {
    const principal = await this.strategy.validate(handshakeRequest(socket));
    if (!principal.user || (principal.role !== 'patient' && principal.role !== 'doctor')) {
      throw new AppException(ErrorCode.ROLE_FORBIDDEN);
    }
    socket.data.userId = principal.user.id;
  }

  private refusal(err: unknown): Error & { data: { error_code: number; error_message: string } } {
    if (!(err instanceof AppException)) this.logger.error(err);
    const known = err instanceof AppException ? err : new AppException(ErrorCode.INTERNAL_ERROR);
    return Object.assign(new Error(known.message), {
      data: { error_code: known.code, error_message: known.message },
    });
  }
}
