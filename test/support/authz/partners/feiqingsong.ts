import { ErrorCode } from 'src/common/errors/error-codes';
import { Cells, err, FORBIDDEN, NA, ok, Outcome, RouteAuthz, TOKEN_CELLS } from '../cells';

/**
 * `/qa` (肺轻松) in the authorization matrix. The world runs without FEIQINGSONG_BASE_URL and nobody there has
 * linked a 肺轻松 account: a patient passes authorization and meets "link first" (51200) on every route that acts
 * through the account, and linking itself meets "not configured" (503). Owner and stranger cells need partner-side
 * state (a fake with linked accounts and orders created through us), so they are left out here.
 */
const ORDER = '1'.repeat(26);

const patientOnly = (patient: Outcome): Cells => ({
  ...TOKEN_CELLS,
  patient,
  doctor: FORBIDDEN,
  assistant: FORBIDDEN,
  owner: NA,
  stranger: NA,
  operator: FORBIDDEN,
});
const NOT_LINKED = patientOnly(err(422, ErrorCode.QA_ACCOUNT_NOT_LINKED));
const none = () => ({});
const order = () => ({ params: { order_number: ORDER } });

export const FEIQINGSONG_AUTHZ: Record<string, RouteAuthz> = {
  'POST /qa/account': {
    request: () => ({ body: { token: 'a'.repeat(40), username: 'someone' } }),
    cells: patientOnly(err(503, ErrorCode.PARTNER_NOT_CONFIGURED)),
  },
  'GET /qa/account': { request: none, cells: patientOnly(ok()) },
  'DELETE /qa/account': { request: none, cells: patientOnly(ok()) },
  'GET /qa/orders': { request: none, cells: NOT_LINKED },
  'POST /qa/orders': {
    request: () => ({ body: { doctor: 'doctor1', order_type: 'online' } }),
    cells: NOT_LINKED,
  },
  'GET /qa/orders/qa': { request: none, cells: NOT_LINKED },
  'GET /qa/orders/:order_number': { request: order, cells: NOT_LINKED },
  'GET /qa/orders/:order_number/qa': { request: order, cells: NOT_LINKED },
  'POST /qa/orders/:order_number/pay': {
    request: () => ({ ...order(), body: { channel: 'wx' } }),
    cells: NOT_LINKED,
  },
  'POST /qa/orders/:order_number/cancel': { request: order, cells: NOT_LINKED },
  'POST /qa/orders/:order_number/finish': { request: order, cells: NOT_LINKED },
  'POST /qa/orders/:order_number/evaluate': {
    request: () => ({ ...order(), body: { scores: 5, content: '好评' } }),
    cells: NOT_LINKED,
  },
  'DELETE /qa/orders/:order_number': { request: order, cells: NOT_LINKED },
  'GET /qa/doctors/:username/evaluations': {
    request: () => ({ params: { username: 'doctor1' } }),
    cells: NOT_LINKED,
  },
  'GET /qa/inquiry-records': { request: none, cells: NOT_LINKED },
};
