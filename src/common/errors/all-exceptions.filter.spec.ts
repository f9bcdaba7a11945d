import { ArgumentsHost, Logger } from '@nestjs/common';
import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { AllExceptionsFilter } from './all-exceptions.filter';

/** The status and envelope the filter renders for an exception. */
function render(exception: unknown): { status: number; body: { error_code: number } } {
  const res = { headersSent: false, status: jest.fn().mockReturnThis(), json: jest.fn() };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  new AllExceptionsFilter().catch(exception, host);
  return { status: res.status.mock.calls[0][0], body: res.json.mock.calls[0][0] };
}

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const queryFailed = (code: string) => new QueryFailedError('SELECT 1', [], withCode('query failed', code));

describe('AllExceptionsFilter: the database out of reach', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a server starting up (57P03)', withCode('the database system is starting up', '57P03')],
    ['a query cut by a shutdown (57P01)', queryFailed('57P01')],
    ['a connection exception (08006)', queryFailed('08006')],
    ['a connection dropped mid-query', new Error('Connection terminated unexpectedly')],
    ['the next query of a transaction whose connection dropped', new QueryRunnerAlreadyReleasedError()],
  ])('%s is a 503 with error_code 10006, logged without a stack', (_, exception) => {
    expect(render(exception)).toMatchObject({ status: 503, body: { error_code: 10006 } });
    expect(Logger.prototype.warn).toHaveBeenCalledTimes(1);
    expect(Logger.prototype.error).not.toHaveBeenCalled();
  });

  it.each([
    ['an unknown error', new Error('boom')],
    ['a constraint violation that escaped (23505)', queryFailed('23505')],
  ])('%s stays a logged 500', (_, exception) => {
    expect(render(exception)).toMatchObject({ status: 500, body: { error_code: 10000 } });
    expect(Logger.prototype.error).toHaveBeenCalledTimes(1);
  });
});
