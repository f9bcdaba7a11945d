import { ErrorCode } from 'src/common/errors/error-codes';
import { shanghaiDate } from '../../clinic-factories';
import { Cells, err, FORBIDDEN, NA, ok, Outcome, RouteAuthz, TOKEN_CELLS } from '../cells';

/**
 * 91160 routes. The matrix's app has no 91160 configured and its world no synced hospital, so patients get
 * past authorization to the first business answer: a hospital that is not synced (51300), a department that
 * does not exist (51301), an appointment that does not exist (51306), and operators' sync start 503.
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

const operatorOnly = (operator: Outcome): Cells => ({
  ...TOKEN_CELLS,
  patient: FORBIDDEN,
  doctor: FORBIDDEN,
  assistant: FORBIDDEN,
  owner: NA,
  stranger: NA,
  operator,
});

const NO_DEPARTMENT = err(404, ErrorCode.H91160_DEPARTMENT_NOT_FOUND);
/** Ids no row has: the routes answer "not found" after authorization. */
const MISSING_ID = 2_147_483_647;

export const H91160_AUTHZ: Record<string, RouteAuthz> = {
  'GET /appointment/hospitals': {
    request: () => ({ query: { page_size: 100 } }),
    cells: patientOnly(ok()),
  },
  'GET /appointment/hospitals/:id/departments': {
    request: (w) => ({ params: { id: w.hospitalId } }),
    cells: patientOnly(err(422, ErrorCode.H91160_HOSPITAL_NOT_SYNCED)),
  },
  'GET /appointment/departments/:id/doctors': {
    request: () => ({ params: { id: MISSING_ID } }),
    cells: patientOnly(NO_DEPARTMENT),
  },
  'GET /appointment/departments/:id/doctors/:doctor_id/schedules': {
    request: () => ({
      params: { id: MISSING_ID, doctor_id: 1 },
      query: { begin_date: shanghaiDate(1), end_date: shanghaiDate(2) },
    }),
    cells: patientOnly(NO_DEPARTMENT),
  },
  'GET /appointment/departments/:id/schedules/:schedule_id/resources': {
    request: () => ({ params: { id: MISSING_ID, schedule_id: 'S-1' } }),
    cells: patientOnly(NO_DEPARTMENT),
  },
  'POST /appointment': {
    request: () => ({
      body: { department_id: MISSING_ID, doctor_id: 1, schedule_id: 'S-1', detl_id: 'S-1-1' },
    }),
    cells: patientOnly(NO_DEPARTMENT),
  },
  'GET /appointment': {
    request: () => ({ query: { page_size: 100 } }),
    cells: patientOnly(ok()),
  },
  // Owner and stranger cells need an appointment of the owner patient in the world (see the report).
  'POST /appointment/:id/cancel': {
    request: () => ({ params: { id: MISSING_ID } }),
    cells: patientOnly(err(404, ErrorCode.H91160_APPOINTMENT_NOT_FOUND)),
  },
  'GET /admin/partners/91160/sync': { request: () => ({}), cells: operatorOnly(ok()) },
  'POST /admin/partners/91160/sync': {
    request: () => ({}),
    cells: operatorOnly(err(503, ErrorCode.PARTNER_NOT_CONFIGURED)),
  },
};
