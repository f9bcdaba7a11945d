import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer from 'multer';
import { from, Observable, switchMap } from 'rxjs';
import { AppConfig } from 'src/config/app-config';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';

/** Reads one multipart `file` into memory, capped at UPLOAD_MAX_BYTES; nothing touches the disk here. */
@Injectable()
export class ImageUploadInterceptor implements NestInterceptor {
  private readonly parse: ReturnType<multer.Multer['single']>;

  constructor(config: AppConfig) {
    this.parse = multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: config.UPLOAD_MAX_BYTES, files: 1, fields: 10 },
    }).single('file');
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const parsed = new Promise<void>((resolve, reject) =>
      this.parse(req, res, (err: unknown) => {
        if (!err) return resolve();
        const code = (err as { code?: string }).code;
        if (code === 'LIMIT_FILE_SIZE') return reject(new AppException(ErrorCode.UPLOAD_TOO_LARGE));
        reject(
          new AppException(ErrorCode.VALIDATION_FAILED, '请以 multipart/form-data 上传一个 file 字段', {
            field: 'file',
          }),
        );
      }),
    );
    return from(parsed).pipe(switchMap(() => next.handle()));
  }
}
