import type { HospitalView } from 'src/modules/hospitals/hospital.view';
import type { OrgView } from 'src/modules/orgs/org.view';
import { projectStatus } from 'src/modules/projects/project.view';
import type { SpecialProject } from './special-project.entity';

/** `status` of a special project: 1 published, 0 withdrawn (hidden from the apps). */
export const SpecialProjectState = { Withdrawn: 0, Published: 1 } as const;

/** What a special project's attached clinics add up to (see `SpecialProjectsRepository.clinicFacts`). */
export interface ClinicFacts {
  joinPeopleCount: number;
  /** Some attached clinic is published, not over and has a free seat. */
  bookable: boolean;
  /** Some attached clinic is published and not over (bookable or full). */
  open: boolean;
  projectIds: number[];
}

export const NO_CLINICS: ClinicFacts = { joinPeopleCount: 0, bookable: false, open: false, projectIds: [] };

/**
 * `progress_status` as for a clinic: 3 once the event is over or withdrawn, or when every attached clinic is;
 * 1 while any attached clinic is bookable; otherwise 2 (the open clinics are full, or none is attached yet).
 */
export function spProgressStatus(sp: SpecialProject, facts: ClinicFacts, now: number): 1 | 2 | 3 {
  if (sp.status !== SpecialProjectState.Published || projectStatus(sp, now) === 3) return 3;
  if (facts.bookable) return 1;
  return facts.projectIds.length && !facts.open ? 3 : 2;
}

/** 2.2.12 专题活动信息 */
export function toSpecialProjectView(
  sp: SpecialProject,
  facts: ClinicFacts,
  hospital: HospitalView | null,
  org: OrgView | null,
  now: number,
) {
  return {
    id: sp.id,
    date: sp.date,
    begin: sp.begin,
    end: sp.end,
    people_count: sp.peopleCount,
    join_people_count: facts.joinPeopleCount,
    addr: sp.addr,
    lng: sp.lng ?? '',
    lat: sp.lat ?? '',
    abstract: sp.abstract,
    photo: sp.photo,
    price: sp.priceFen / 100,
    status: sp.status,
    progress_status: spProgressStatus(sp, facts, now),
    service_target: sp.serviceTarget ?? [],
    hospital_info: hospital,
    org_info: org,
    project_status: projectStatus(sp, now),
    // A public list: who booked stays private (DESIGN §2), so the seed's join_user is always empty.
    join_user: [] as never[],
  };
}

export type SpecialProjectView = ReturnType<typeof toSpecialProjectView>;

/** What operators see: the app's object plus its placement (0 for none) and the attached clinics' ids. */
export function toAdminSpecialProjectView(view: SpecialProjectView, sp: SpecialProject, facts: ClinicFacts) {
  return { ...view, hospital_id: sp.hospitalId ?? 0, org_id: sp.orgId ?? 0, project_ids: facts.projectIds };
}

export type AdminSpecialProjectView = ReturnType<typeof toAdminSpecialProjectView>;
