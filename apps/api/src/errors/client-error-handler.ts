// Requests Node's HTTP parser refuses before Fastify sees them, answered in the error shape of every other
// answer. Fastify's own handler says only "Client Error"; the usual cause is a URL typed with raw non-ASCII
// letters (curl sends `?ville=Nîmes` as it is; browsers percent-encode), which deserves a message saying how to
// send it.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** What the answer says for a parser error code: status and message. */
export function clientErrorAnswer(code: string | undefined): { statusCode: number; message: string } {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { statusCode: 408, message: 'Client Timeout' };
    case 'HPE_HEADER_OVERFLOW':
      return { statusCode: 431, message: 'Exceeded maximum allowed HTTP header size' };
    case 'HPE_INVALID_URL':
      return {
        statusCode: 400,
        message:
          'invalid URL: it holds a character HTTP does not allow there as it is (a space, a letter outside ASCII…); ' +
          "percent-encode it, e.g. ?ville=N%C3%AEmes for Nîmes (curl -G --data-urlencode 'ville=Nîmes' does it)",
      };
    default:
      return { statusCode: 400, message: 'Client Error' };
  }
}

/** Fastify's `clientErrorHandler`: same behaviour as its default (answer, then destroy), clearer messages. */
export function clientErrorHandler(this: FastifyInstance, err: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const { statusCode, message } = clientErrorAnswer(err.code);
  const error = STATUS_CODES[statusCode] ?? 'Bad Request';
  this.log.debug({ err }, 'request refused by the HTTP parser');
  if (socket.writable) {
    const body = JSON.stringify({ statusCode, error, message });
    socket.write(
      `HTTP/1.1 ${statusCode} ${error}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
