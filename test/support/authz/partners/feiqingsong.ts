import { ErrorCode } from 'src/common/errors/error-codes';
import { err, ok, patientOnly, RouteAuthz } from '../cells';
import type { World } from '../world';
import type { QaOrderUse } from './world';

/**
 * `/qa` (肺轻松). The owner and stranger patients have linked 肺轻松 accounts of their own (on the loopback fake);
 * the `patient` column has linked none and meets "link first" (51200) on every route acting through an account.
 * Another patient's order is "not found" (51205) even where the partner would show it.
 */
const NOT_LINKED = err(422, ErrorCode.QA_ACCOUNT_NOT_LINKED);
const NO_ORDER = err(404, ErrorCode.QA_ORDER_NOT_FOUND);
const onOrder = (use: QaOrderUse, body?: object) => (w: World) => ({
  params: { order_number: w.partners.qaOrder[use] },
  ...(body ? { body } : {}),
});
const ownOrder = (use: QaOrderUse, body?: object): RouteAuthz => ({
  owner: 'patient',
  request: onOrder(use, body),
  cells: patientOnly(NOT_LINKED, ok(), NO_ORDER),
});

export const FEIQINGSONG_AUTHZ: Record<string, RouteAuthz> = {
  'POST /qa/account': {
    // A token the partner does not know: refused after authorization, before anything is stored.
    request: () => ({ body: { token: 'a'.repeat(40), username: 'someone' } }),
    cells: patientOnly(err(422, ErrorCode.QA_LINK_TOKEN_INVALID)),
  },
  'GET /qa/account': { request: () => ({}), cells: patientOnly(ok()) },
  'DELETE /qa/account': { request: () => ({}), cells: patientOnly(ok()) },
  'GET /qa/orders': { request: () => ({}), cells: patientOnly(NOT_LINKED) },
  'POST /qa/orders': {
    request: () => ({ body: { doctor: 'doctor1', order_type: 'online' } }),
    cells: patientOnly(NOT_LINKED),
  },
  'GET /qa/orders/qa': { request: () => ({}), cells: patientOnly(NOT_LINKED) },
  'GET /qa/orders/:order_number': ownOrder('read'),
  'GET /qa/orders/:order_number/qa': ownOrder('read'),
  'POST /qa/orders/:order_number/pay': ownOrder('pay', { channel: 'wx' }),
  'POST /qa/orders/:order_number/cancel': ownOrder('cancel'),
  'POST /qa/orders/:order_number/finish': ownOrder('finish'),
  'POST /qa/orders/:order_number/evaluate': ownOrder('evaluate', { scores: 5, content: '好评' }),
  'DELETE /qa/orders/:order_number': ownOrder('remove'),
  'GET /qa/doctors/:username/evaluations': {
    request: () => ({ params: { username: 'doctor1' } }),
    cells: patientOnly(NOT_LINKED),
  },
  'GET /qa/inquiry-records': { request: () => ({}), cells: patientOnly(NOT_LINKED) },
};
