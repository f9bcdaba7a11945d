import type { HospitalView } from 'src/modules/hospitals/hospital.view';
import type { UserView } from 'src/modules/users/user.view';
import type { ProjectSlot } from './project-slot.entity';
import { Project, ProjectState } from './project.entity';
import { slotLabel } from './slots';

/** `project_status`: 1 not started, 2 in progress, 3 ended (from the clock). */
export function projectStatus(p: Pick<Project, 'startsAt' | 'endsAt'>, now: number): 1 | 2 | 3 {
  if (now < p.startsAt.getTime()) return 1;
  return now < p.endsAt.getTime() ? 2 : 3;
}

/** `progress_status`: 1 bookable, 2 full, 3 ended or cancelled. */
export function progressStatus(p: Project, slots: ProjectSlot[], now: number): 1 | 2 | 3 {
  if (p.status === ProjectState.Cancelled || projectStatus(p, now) === 3) return 3;
  return slots.some((s) => s.remaining > 0) ? 1 : 2;
}

const minutesOf = (hms: string) => Number(hms.slice(0, 2)) * 60 + Number(hms.slice(3, 5));

/** When a slot begins: the clinic's start plus the slot's offset into the window. */
export const slotStart = (p: Pick<Project, 'startsAt' | 'begin'>, slot: Pick<ProjectSlot, 'begin'>): Date =>
  new Date(p.startsAt.getTime() + (minutesOf(slot.begin) - minutesOf(p.begin)) * 60_000);

/** Whether a booking may still be cancelled: its slot starts more than `deadlineMinutes` from now. */
export const beforeDeadline = (visitTime: Date, deadlineMinutes: number, now: number): boolean =>
  visitTime.getTime() - now > deadlineMinutes * 60_000;

/** What depends on who is asking: their bookings in the clinic and what they may do with it. */
export interface CallerFacts {
  is_join: 0 | 1;
  op_cancel: 0 | 1;
  assistant_join_count: number;
  join_user: UserView[];
}

/** 2.2.8 义诊信息 (v2.0), exactly the seed's keys: the doctor's and hospital's ids are in their `_info` objects. */
export function toProjectView(
  p: Project,
  slots: ProjectSlot[],
  hospital: HospitalView | null,
  doctor: UserView | null,
  caller: CallerFacts,
  now: number,
) {
  return {
    id: p.id,
    date: p.date,
    begin: p.begin,
    end: p.end,
    people_count: p.peopleCount,
    join_people_count: p.joinPeopleCount,
    addr: p.addr,
    lng: p.lng,
    lat: p.lat,
    abstract: p.abstract,
    price: p.priceFen / 100,
    status: p.status,
    progress_status: progressStatus(p, slots, now),
    service_target: p.serviceTarget ?? [],
    hospital_info: hospital,
    doctor_info: doctor,
    join_user: caller.join_user,
    project_status: projectStatus(p, now),
    op_cancel: caller.op_cancel,
    is_join: caller.is_join,
    assistant_join_count: caller.assistant_join_count,
    plan_time: Object.fromEntries(slots.map((s) => [slotLabel(s), s.remaining])),
  };
}

export type ProjectView = ReturnType<typeof toProjectView>;
