import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Response } from 'express';
import { MulterError } from 'multer';
import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { AppException } from './app.exception';
import { ERROR_TABLE, ErrorCode } from './error-codes';

/**
 * Nest's own exceptions. Validation failures arrive as AppException, so a bare 400 is what Nest makes of a body
 * that would not parse (malformed JSON, bad percent-encoding).
 */
const STATUS_TO_CODE: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: ErrorCode.MALFORMED_BODY,
  [HttpStatus.UNAUTHORIZED]: ErrorCode.TOKEN_MISSING,
  [HttpStatus.FORBIDDEN]: ErrorCode.ROLE_FORBIDDEN,
  [HttpStatus.NOT_FOUND]: ErrorCode.ROUTE_NOT_FOUND,
  [HttpStatus.PAYLOAD_TOO_LARGE]: ErrorCode.PAYLOAD_TOO_LARGE,
  [HttpStatus.TOO_MANY_REQUESTS]: ErrorCode.RATE_LIMITED,
  [HttpStatus.SERVICE_UNAVAILABLE]: ErrorCode.SERVICE_UNAVAILABLE,
};

/** Body-parser and multer report through plain errors carrying `type`, `status` or `code`. */
function fromFrameworkError(err: unknown): AppException | undefined {
  if (err instanceof MulterError) {
    return new AppException(
      err.code === 'LIMIT_FILE_SIZE' ? ErrorCode.UPLOAD_TOO_LARGE : ErrorCode.VALIDATION_FAILED,
    );
  }
  const e = err as { type?: string; status?: number; expose?: boolean };
  if (e?.type === 'entity.too.large') return new AppException(ErrorCode.PAYLOAD_TOO_LARGE);
  if (e?.type === 'entity.parse.failed') return new AppException(ErrorCode.MALFORMED_BODY);
  // http-errors made by body-parser / express: a body that fails to decompress (bad gzip/br) arrives as a 400
  // with `expose` but no `type`, and used to fall through to a 500.
  if ((e?.type || e?.expose === true) && e.status && e.status >= 400 && e.status < 500)
    return new AppException(e.status === 413 ? ErrorCode.PAYLOAD_TOO_LARGE : ErrorCode.MALFORMED_BODY);
  return undefined;
}

/**
 * Postgres refuses text that Node happily carries: a NUL byte (`?name=%00`) fails with 22021. That is the
 * client's input, not a server fault, so it is a 400 rather than a logged 500.
 */
const CLIENT_INPUT_SQLSTATES = new Set(['22021', '22P05']);
function fromDatabaseError(err: unknown): AppException | undefined {
  if (!(err instanceof QueryFailedError)) return undefined;
  const code = (err.driverError as { code?: string } | undefined)?.code;
  if (code && CLIENT_INPUT_SQLSTATES.has(code)) {
    return new AppException(ErrorCode.VALIDATION_FAILED, '请求参数包含无效字符');
  }
  return undefined;
}

/**
 * The database (or Redis) cannot be reached: down, restarting, or the connection cut. A 503 the client may retry,
 * not a server fault: connection exceptions (SQLSTATE 08xxx), shutdown and start-up (57P01-57P03), refused or
 * dropped connections, and the next query of a transaction whose connection was dropped (its query runner is
 * released under it).
 */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123])$/;
const UNAVAILABLE_NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE']);
function isStoreUnavailable(err: unknown): boolean {
  if (err instanceof QueryRunnerAlreadyReleasedError) return true;
  const e = (err instanceof QueryFailedError ? err.driverError : err) as {
    code?: unknown;
    message?: unknown;
  };
  if (typeof e?.code === 'string' && (UNAVAILABLE_SQLSTATE.test(e.code) || UNAVAILABLE_NETWORK.has(e.code))) {
    return true;
  }
  return typeof e?.message === 'string' && e.message.startsWith('Connection terminated');
}

function toAppException(err: unknown): AppException | undefined {
  if (err instanceof AppException) return err;
  if (err instanceof ThrottlerException) return new AppException(ErrorCode.RATE_LIMITED);
  const framework = fromFrameworkError(err) ?? fromDatabaseError(err);
  if (framework) return framework;
  if (err instanceof HttpException) {
    const code = STATUS_TO_CODE[err.getStatus()];
    if (code !== undefined) return new AppException(code);
    if (err.getStatus() < 500) return new AppException(ErrorCode.VALIDATION_FAILED);
  }
  return undefined;
}

/** Renders every failure as the envelope; unknown errors are logged with their stack and answered as a bare 500. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let app = toAppException(exception);
    if (!app && isStoreUnavailable(exception)) {
      // One line per request while it lasts, without the stack: the cause is outside this process.
      this.logger.warn(`storage unavailable: ${(exception as Error).message}`);
      app = new AppException(ErrorCode.SERVICE_UNAVAILABLE);
    }
    if (!app) {
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
      app = new AppException(ErrorCode.INTERNAL_ERROR);
    }
    if (res.headersSent) return;
    res
      .status(ERROR_TABLE[app.code].status)
      .json({ error_code: app.code, data: app.data, error_message: app.message });
  }
}
