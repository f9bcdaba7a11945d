import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from 'src/common/auth/principal';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { BannersService } from 'src/modules/banners/banners.service';
import { Hospital } from 'src/modules/hospitals/hospital.entity';
import type { Placement } from 'src/modules/news/content-fields';
import { NewsService } from 'src/modules/news/news.service';
import { Org } from 'src/modules/orgs/org.entity';
import { ProjectViewsService } from 'src/modules/projects/project-views.service';
import type { ProjectView } from 'src/modules/projects/project.view';
import { SpecialProjectsService } from 'src/modules/special-projects/special-projects.service';
import type { User } from 'src/modules/users/user.entity';
import { UserViewsService } from 'src/modules/users/user-views.service';
import { ClinicScope, HomepagesRepository } from './homepages.repository';
import { toWaitingBookingView, WaitingBookingView } from './waiting-booking.view';

/** App types of banners and news (DESIGN §4). */
const PATIENT_APP = 1;
const DOCTOR_APP = 2;
const NEWS_COUNT = 5;
const CLINIC_COUNT = 10;
const SPECIAL_PROJECT_COUNT = 5;
const BOOKING_COUNT = 10;

/** Each homepage is a few independent reads, run side by side; none grows with the data. */
@Injectable()
export class HomepagesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: HomepagesRepository,
    private readonly banners: BannersService,
    private readonly news: NewsService,
    private readonly projectViews: ProjectViewsService,
    private readonly specialProjects: SpecialProjectsService,
    private readonly users: UserViewsService,
  ) {}

  /** 3.3.19: the patient app's homepage, or a hospital's / organisation's when given. */
  async patientHome(caller: Principal, placement: Placement) {
    await this.assertPlacement(placement);
    const [banner, news, projectList, specialProList] = await Promise.all([
      this.banners.forHomepage(PATIENT_APP, placement),
      this.news.latest(PATIENT_APP, NEWS_COUNT, placement),
      this.clinics(placement, caller),
      this.specialProjects.latest(SPECIAL_PROJECT_COUNT, placement),
    ]);
    return { banner, news, project_list: projectList, special_pro_list: specialProList };
  }

  /** 3.2.16: the doctor's own homepage. */
  async doctorHome(caller: Principal & { user: User }) {
    const me = caller.user;
    const [news, doctorInfo, projectList, diagnosesList] = await Promise.all([
      this.news.latest(DOCTOR_APP, NEWS_COUNT),
      this.users.view(me, { reveal: true, token: caller.token }),
      this.clinics({ doctorId: me.id }, caller),
      this.waitingBookings(me.id),
    ]);
    return { news, doctor_info: doctorInfo, project_list: projectList, diagnoses_list: diagnosesList };
  }

  private async clinics(scope: ClinicScope, caller: Principal): Promise<ProjectView[]> {
    return this.projectViews.views(await this.repo.upcomingClinics(scope, CLINIC_COUNT), caller);
  }

  /** Patients are other people: their objects are masked (DESIGN §2). */
  private async waitingBookings(doctorId: number): Promise<WaitingBookingView[]> {
    const bookings = await this.repo.waitingBookings(doctorId, BOOKING_COUNT);
    const patients = await this.users.views(
      bookings.map((b) => b.user!),
      () => false,
    );
    return bookings.map((b, i) => toWaitingBookingView(b, patients[i]));
  }

  /** An unknown hospital or organisation has no homepage. */
  private async assertPlacement(p: Placement): Promise<void> {
    const m = this.db.manager;
    const [hospital, org] = await Promise.all([
      p.hospitalId ? m.existsBy(Hospital, { id: p.hospitalId }) : true,
      p.orgId ? m.existsBy(Org, { id: p.orgId }) : true,
    ]);
    if (!hospital) throw new AppException(ErrorCode.HOSPITAL_NOT_FOUND);
    if (!org) throw new AppException(ErrorCode.ORG_NOT_FOUND);
  }
}
