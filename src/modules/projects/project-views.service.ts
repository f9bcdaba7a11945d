import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AppConfig } from 'src/config/app-config';
import type { Principal } from 'src/common/auth/principal';
import { BookingState, Diagnosis } from 'src/modules/diagnoses/diagnosis.entity';
import { Hospital } from 'src/modules/hospitals/hospital.entity';
import { toHospitalView } from 'src/modules/hospitals/hospital.view';
import { User } from 'src/modules/users/user.entity';
import { UserViewsService } from 'src/modules/users/user-views.service';
import type { UserView } from 'src/modules/users/user.view';
import { ProjectSlot } from './project-slot.entity';
import { Project, ProjectState } from './project.entity';
import { beforeDeadline, CallerFacts, projectStatus, ProjectView, toProjectView } from './project.view';

const ACTIVE = [BookingState.AwaitingPayment, BookingState.Booked];

function groupBy<T, K>(items: T[], key: (t: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) {
    const list = map.get(key(item)) ?? [];
    list.push(item);
    map.set(key(item), list);
  }
  return map;
}

/**
 * Builds project objects for any number of clinics with a fixed number of queries: slots, hospitals, doctors,
 * the caller's own bookings, and (for the clinics' own doctor only) who has joined.
 */
@Injectable()
export class ProjectViewsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UserViewsService,
    private readonly config: AppConfig,
  ) {}

  async views(projects: Project[], caller: Principal): Promise<ProjectView[]> {
    if (!projects.length) return [];
    const m = this.db.manager;
    const ids = projects.map((p) => p.id);
    const me = caller.user?.id ?? 0;
    const role = caller.role;

    // Which queries run depends on the caller's role only, never on the rows, so a list costs the same
    // whatever its page holds.
    const [slots, hospitals, doctors, mine, joined] = await Promise.all([
      m.find(ProjectSlot, { where: { projectId: In(ids) }, order: { projectId: 'ASC', idx: 'ASC' } }),
      m.find(Hospital, { where: { id: In(projects.map((p) => p.hospitalId ?? 0)) } }),
      m.find(User, {
        where: { id: In([...new Set(projects.map((p) => p.doctorId))]) },
        relations: { hospital: true },
      }),
      role === 'patient' || role === 'assistant'
        ? m.find(Diagnosis, {
            where: {
              projectId: In(ids),
              verifyStatus: In(ACTIVE),
              ...(role === 'patient' ? { userId: me } : { assistantUserId: me }),
            },
          })
        : Promise.resolve([]),
      // Bookings in the caller's own clinics among these (the booking carries the clinic's doctor).
      role === 'doctor'
        ? m.find(Diagnosis, {
            where: { projectId: In(ids), doctorUserId: me, verifyStatus: In(ACTIVE) },
            relations: { user: { hospital: true } },
            order: { id: 'ASC' },
          })
        : Promise.resolve([]),
    ]);
    // One batch for doctors and joined patients: their figures cost two queries together instead of two each.
    const userViews = await this.users.views([...doctors, ...joined.map((d) => d.user!)], () => false);
    const doctorViews = userViews.slice(0, doctors.length);
    const joinedViews = userViews.slice(doctors.length);

    const slotsOf = groupBy(slots, (s) => s.projectId);
    const hospitalOf = new Map(hospitals.map((h) => [h.id, toHospitalView(h)]));
    const doctorOf = new Map(doctors.map((d, i) => [d.id, doctorViews[i]]));
    const mineOf = groupBy(mine, (d) => d.projectId);
    const joinedOf = groupBy(
      joined.map((d, i) => ({ projectId: d.projectId, view: joinedViews[i] })),
      (j) => j.projectId,
    );
    const now = Date.now();

    return projects.map((p) => {
      const myBookings = mineOf.get(p.id) ?? [];
      const facts: CallerFacts = {
        is_join: myBookings.length ? 1 : 0,
        op_cancel: this.canCancel(p, me, myBookings, now) ? 1 : 0,
        assistant_join_count: role === 'assistant' ? myBookings.length : 0,
        join_user: (joinedOf.get(p.id) ?? []).map((j): UserView => j.view),
      };
      return toProjectView(
        p,
        slotsOf.get(p.id) ?? [],
        hospitalOf.get(p.hospitalId ?? 0) ?? null,
        doctorOf.get(p.doctorId) ?? null,
        facts,
        now,
      );
    });
  }

  /** The doctor may cancel a published clinic before it starts; a patient (or assistant) a booking before the deadline. */
  private canCancel(p: Project, me: number, myBookings: Diagnosis[], now: number): boolean {
    if (p.doctorId === me) return p.status === ProjectState.Published && projectStatus(p, now) === 1;
    return myBookings.some((b) => beforeDeadline(b.visitTime, this.config.CANCEL_DEADLINE_MINUTES, now));
  }
}
