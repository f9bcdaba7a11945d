import { formatDateTime } from 'src/common/time';
import type { Diagnosis } from 'src/modules/diagnoses/diagnosis.entity';
import { slotLabel } from 'src/modules/projects/slots';
import type { UserView } from 'src/modules/users/user.view';

/** The doctor homepage's short form of a booking (2.2.9's first fields): enough to list and open it. */
export const toWaitingBookingView = (d: Diagnosis, patient: UserView) => ({
  id: d.id,
  verify_status: d.verifyStatus,
  status: d.status,
  visit_time: formatDateTime(d.visitTime),
  plan_time: slotLabel(d.slot!),
  user_info: patient,
});

export type WaitingBookingView = ReturnType<typeof toWaitingBookingView>;
