import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** A client's id is kept when it looks like one. */
const VALID_REQUEST_ID = /^[\w-]{8,64}$/;

/**
 * Express middleware mounted before everything else (body parsers, static uploads), so every response carries
 * `X-Request-Id`, including the ones that never reach Nest's middleware: uploaded files, unparsable or
 * oversized bodies. The chosen id is written back into the request header so the logger's `genReqId`, which
 * runs later, settles on the same value.
 */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && VALID_REQUEST_ID.test(given) ? given : randomUUID();
  req.headers['x-request-id'] = id;
  res.setHeader('X-Request-Id', id);
  next();
}
