import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ERROR_TABLE, ErrorCode } from 'src/common/errors/error-codes';

/**
 * Requests Node's HTTP parser refuses before the app sees them (headers or URL over the 16 KB limit, a broken
 * request line) get the envelope too, instead of Node's bare status line.
 */
export function answerParserErrorsWithEnvelope(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const code = err.code === 'HPE_HEADER_OVERFLOW' ? ErrorCode.HEADERS_TOO_LARGE : ErrorCode.MALFORMED_BODY;
    const { status, message } = ERROR_TABLE[code];
    const body = JSON.stringify({ error_code: code, data: null, error_message: message });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
