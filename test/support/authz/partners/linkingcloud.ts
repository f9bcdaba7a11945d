import { ErrorCode } from 'src/common/errors/error-codes';
import { Cells, err, FORBIDDEN, NA, ok, Outcome, RouteAuthz, TOKEN_CELLS } from '../cells';

/**
 * 联空医问 routes. The matrix's app has no 联空医问 configured, so patients get past authorization to 503 50100 on
 * the routes that need the partner, and to the local answers on the others (their own list; a question that does
 * not exist). With a configured loopback fake and a question of `owner.patient` in the world, the owner cells of
 * `/consult/questions/:id` and its evaluation would become ok / 409 and the stranger cells 404.
 */
const patientOnly = (patient: Outcome): Cells => ({
  ...TOKEN_CELLS,
  patient,
  doctor: FORBIDDEN,
  assistant: FORBIDDEN,
  owner: NA,
  stranger: NA,
  operator: FORBIDDEN,
});

const NOT_CONFIGURED = err(503, ErrorCode.PARTNER_NOT_CONFIGURED);
const NO_QUESTION = err(404, ErrorCode.CONSULT_QUESTION_NOT_FOUND);
/** An id no question has: the routes answer "not found" after authorization. */
const MISSING_ID = 2_147_483_647;

export const LINKINGCLOUD_AUTHZ: Record<string, RouteAuthz> = {
  'GET /consult/departments': {
    request: () => ({}),
    cells: patientOnly(NOT_CONFIGURED),
  },
  'GET /consult/departments/:dept_id/doctors': {
    request: () => ({ params: { dept_id: 'D01' } }),
    cells: patientOnly(NOT_CONFIGURED),
  },
  'POST /consult/questions': {
    request: () => ({
      body: { doctor_id: 'LCD1001', content: '咳嗽两周', consult_name: '图文咨询', consult_amount: '0' },
    }),
    cells: patientOnly(NOT_CONFIGURED),
  },
  'GET /consult/questions': {
    request: () => ({ query: { page_size: 100 } }),
    cells: patientOnly(ok()),
  },
  'GET /consult/questions/:id': {
    request: () => ({ params: { id: MISSING_ID } }),
    cells: patientOnly(NO_QUESTION),
  },
  'GET /consult/questions/:id/evaluation': {
    request: () => ({ params: { id: MISSING_ID } }),
    cells: patientOnly(NO_QUESTION),
  },
  'PUT /admin/consult/doctors/:id/link': {
    request: (w) => ({
      params: { id: w.role.doctor.id },
      body: { lc_doctor_id: 'LCD1001', lc_service_id: 'S01' },
    }),
    cells: {
      ...TOKEN_CELLS,
      patient: FORBIDDEN,
      doctor: FORBIDDEN,
      assistant: FORBIDDEN,
      owner: NA,
      stranger: NA,
      operator: ok(),
    },
  },
};
