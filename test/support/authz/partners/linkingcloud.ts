import { ErrorCode } from 'src/common/errors/error-codes';
import { err, ok, operatorOnly, patientOnly, RouteAuthz } from '../cells';
import { LC_DOCTOR } from './world';

/**
 * 联空医问 (on the loopback fake). The owner patient has asked one question; anyone else asking for it gets
 * "not found" (51102).
 */
const NO_QUESTION = err(404, ErrorCode.CONSULT_QUESTION_NOT_FOUND);
const OWN_QUESTION: RouteAuthz = {
  owner: 'patient',
  request: (w) => ({ params: { id: w.partners.consultQuestion } }),
  cells: patientOnly(NO_QUESTION, ok(), NO_QUESTION),
};

export const LINKINGCLOUD_AUTHZ: Record<string, RouteAuthz> = {
  'GET /consult/departments': { request: () => ({}), cells: patientOnly(ok()) },
  'GET /consult/departments/:dept_id/doctors': {
    request: () => ({ params: { dept_id: 'D01' } }),
    cells: patientOnly(ok()),
  },
  'POST /consult/questions': {
    request: () => ({
      body: { doctor_id: LC_DOCTOR, content: '咳嗽两周', consult_name: '图文咨询', consult_amount: '0' },
    }),
    cells: patientOnly(ok()),
  },
  'GET /consult/questions': { request: () => ({ query: { page_size: 100 } }), cells: patientOnly(ok()) },
  'GET /consult/questions/:id': OWN_QUESTION,
  'GET /consult/questions/:id/evaluation': OWN_QUESTION,
  'PUT /admin/consult/doctors/:id/link': {
    request: (w) => ({
      params: { id: w.role.doctor.id },
      body: { lc_doctor_id: LC_DOCTOR, lc_service_id: 'S01' },
    }),
    cells: operatorOnly(),
  },
};
