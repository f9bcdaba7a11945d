import { formatDateTime } from 'src/common/time';
import { LcDoctor } from 'src/integrations/linkingcloud/linkingcloud.types';
import { ConsultQuestion, DeliveryState } from './consult-question.entity';
import { fenToYuan } from './consult.partner';

export interface QuestionView {
  id: number;
  order_id: string;
  doctor_id: string;
  doctor_name: string;
  dept_id: string;
  dept_name: string;
  content: string;
  images: string[];
  consult_name: string;
  consult_amount: string;
  /** pending: stored, being delivered (retried in the background); sent; rejected by 联空医问. */
  delivery_status: DeliveryState;
  sent_at: string;
  created_at: string;
}

export function questionView(q: ConsultQuestion): QuestionView {
  return {
    id: q.id,
    order_id: q.orderId,
    doctor_id: q.lcDoctorId,
    doctor_name: q.doctorName,
    dept_id: q.lcDeptId,
    dept_name: q.deptName,
    content: q.content,
    images: q.images,
    consult_name: q.consultName,
    consult_amount: fenToYuan(q.amountFen),
    delivery_status: q.delivery,
    sent_at: formatDateTime(q.sentAt),
    created_at: formatDateTime(q.createdAt),
  };
}

/** A partner doctor as the apps see it; the partner's `doctor_idcardno` (an ID number) is never passed on. */
export type DoctorView = Omit<LcDoctor, 'doctor_idcardno'>;

export function doctorView(doctor: LcDoctor): DoctorView {
  const shown: Partial<LcDoctor> = { ...doctor };
  delete shown.doctor_idcardno;
  return shown as DoctorView;
}
