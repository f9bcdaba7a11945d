import { ERROR_TABLE, ErrorCode } from './error-codes';

/** A failure the client should see: the code decides the HTTP status and default message. */
export class AppException extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly data: unknown = null,
  ) {
    super(message ?? ERROR_TABLE[code].message);
  }

  get status(): number {
    return ERROR_TABLE[this.code].status;
  }
}
