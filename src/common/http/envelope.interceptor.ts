import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';

export interface Envelope<T> {
  error_code: number;
  data: T;
  error_message: string;
}

/** Wraps every handler result in the envelope and answers 200 for every success (the apps expect it for POST). */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    return next.handle().pipe(
      map((data: unknown) => {
        if (req.method === 'POST' && res.statusCode === 201) res.status(200);
        if (data instanceof RawResponse) return data.body;
        return {
          error_code: 0,
          data: data === undefined ? {} : data,
          error_message: '',
        } satisfies Envelope<unknown>;
      }),
    );
  }
}

/** Returned by the rare handler whose body is not the envelope (an image). */
export class RawResponse {
  constructor(readonly body: unknown) {}
}
