import { ErrorCode } from 'src/common/errors/error-codes';
import { shanghaiDate } from '../../clinic-factories';
import { err, ok, operatorOnly, patientOnly, RouteAuthz } from '../cells';
import { H91160_DOCTOR } from './world';

/**
 * 91160 (on the loopback fake, its hospitals synced once). The owner patient has one booked appointment;
 * anyone else cancelling it gets "not found" (51306).
 */
const NO_APPOINTMENT = err(404, ErrorCode.H91160_APPOINTMENT_NOT_FOUND);

export const H91160_AUTHZ: Record<string, RouteAuthz> = {
  'GET /appointment/hospitals': { request: () => ({ query: { page_size: 100 } }), cells: patientOnly(ok()) },
  'GET /appointment/hospitals/:id/departments': {
    request: (w) => ({ params: { id: w.partners.appointment.hospitalId } }),
    cells: patientOnly(ok()),
  },
  'GET /appointment/departments/:id/doctors': {
    request: (w) => ({ params: { id: w.partners.appointment.departmentId } }),
    cells: patientOnly(ok()),
  },
  'GET /appointment/departments/:id/doctors/:doctor_id/schedules': {
    request: (w) => ({
      params: { id: w.partners.appointment.departmentId, doctor_id: H91160_DOCTOR },
      query: { begin_date: shanghaiDate(1), end_date: shanghaiDate(3) },
    }),
    cells: patientOnly(ok()),
  },
  'GET /appointment/departments/:id/schedules/:schedule_id/resources': {
    request: (w) => ({
      params: { id: w.partners.appointment.departmentId, schedule_id: w.partners.appointment.scheduleId },
    }),
    cells: patientOnly(ok()),
  },
  'POST /appointment': {
    request: (w) => ({
      body: {
        department_id: w.partners.appointment.departmentId,
        doctor_id: H91160_DOCTOR,
        schedule_id: w.partners.appointment.scheduleId,
        detl_id: w.partners.appointment.freeDetlId,
      },
    }),
    cells: patientOnly(ok()),
  },
  'GET /appointment': { request: () => ({ query: { page_size: 100 } }), cells: patientOnly(ok()) },
  'POST /appointment/:id/cancel': {
    owner: 'patient',
    request: (w) => ({ params: { id: w.partners.appointment.ownerBooking } }),
    cells: patientOnly(NO_APPOINTMENT, ok(), NO_APPOINTMENT),
  },
  'GET /admin/partners/91160/sync': { request: () => ({}), cells: operatorOnly() },
  'POST /admin/partners/91160/sync': { request: () => ({}), cells: operatorOnly() },
};
