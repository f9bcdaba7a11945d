import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { concatMap, Observable } from 'rxjs';
import type { Principal } from 'src/common/auth/principal';
import { ReadAuditService, ReadItem } from './read-audit.service';

const READS_OF = 'audit:reads-of';

type ReadsOf = (data: never) => ReadItem[];

/** Records, before the response is sent, the sensitive items the handler's result discloses (`readsOf`). */
@Injectable()
export class ReadAuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly reads: ReadAuditService,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const readsOf = this.reflector.get<ReadsOf>(READS_OF, ctx.getHandler());
    const req = ctx.switchToHttp().getRequest<Request & { user?: Principal }>();
    return next.handle().pipe(
      concatMap(async (data: unknown) => {
        await this.reads.record(req, readsOf(data as never));
        return data;
      }),
    );
  }
}

/**
 * Audits a route's reads of patients' records and ID numbers: `readsOf` lists what a result shows, and what a
 * doctor, assistant or operator was shown of someone else is recorded (ReadAuditService).
 */
export const AuditReads = <T>(readsOf: (data: T) => ReadItem[]) =>
  applyDecorators(SetMetadata(READS_OF, readsOf), UseInterceptors(ReadAuditInterceptor));
