import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from 'src/common/auth/principal';
import { BannersService } from 'src/modules/banners/banners.service';
import { NewsService } from 'src/modules/news/news.service';
import { ProjectViewsService } from 'src/modules/projects/project-views.service';
import { Project, ProjectState } from 'src/modules/projects/project.entity';
import { Follow } from 'src/modules/social/follow.entity';
import { User, UserType } from 'src/modules/users/user.entity';
import { UserViewsService } from 'src/modules/users/user-views.service';
import type { UserView } from 'src/modules/users/user.view';

/** Banners and news of the assistant app (DESIGN §4). */
const ASSISTANT_APP = 3;
const NEWS_COUNT = 5;
const CLINIC_COUNT = 10;

/** The assistant app's homepage, and who the assistants of a doctor are. */
@Injectable()
export class AssistantsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly banners: BannersService,
    private readonly news: NewsService,
    private readonly projectViews: ProjectViewsService,
    private readonly users: UserViewsService,
  ) {}

  /** 3.4.12: a few independent reads side by side; none grows with the data. */
  async homepage(caller: Principal) {
    const [banner, news, clinics] = await Promise.all([
      this.banners.forHomepage(ASSISTANT_APP),
      this.news.latest(ASSISTANT_APP, NEWS_COUNT),
      this.bookableClinics(),
    ]);
    return { banner, news, project_list: await this.projectViews.views(clinics, caller) };
  }

  /** 3.2.1: assistants following the doctor, the latest follower first; other people, so masked. */
  async followersOf(doctor: User): Promise<{ list: UserView[] }> {
    const assistants = await this.db.manager
      .createQueryBuilder(User, 'u')
      .innerJoin(Follow, 'f', 'f.follower_id = u.id AND f.doctor_id = :doctorId', { doctorId: doctor.id })
      .where('u.type = :assistant', { assistant: UserType.Assistant })
      .orderBy('f.created_at', 'DESC')
      .addOrderBy('f.id', 'DESC')
      .getMany();
    return { list: await this.users.views(assistants, () => false) };
  }

  /**
   * Published clinics not over yet with a free seat (`progress_status` 1), the soonest first. Seats are counted
   * on the clinic: its free seats are `people_count - join_people_count`, the sum of its slots' remaining seats.
   */
  private bookableClinics(): Promise<Project[]> {
    return this.db.manager
      .createQueryBuilder(Project, 'p')
      .where('p.status = :published AND p.ends_at > now() AND p.join_people_count < p.people_count', {
        published: ProjectState.Published,
      })
      .orderBy('p.starts_at', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .limit(CLINIC_COUNT)
      .getMany();
  }
}
