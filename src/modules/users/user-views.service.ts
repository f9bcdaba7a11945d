import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { OrgsService } from 'src/modules/orgs/orgs.service';
import { UserStat } from './user-stat.entity';
import { User, UserType } from './user.entity';
import { toUserView, UserStats, UserView } from './user.view';

const mean = (sum: number, count: number) => (count ? (sum / count).toFixed(1) : '0.0');

function statsOf(s: UserStat | undefined): UserStats {
  if (!s) return {};
  return {
    credit_score: mean(s.creditSum, s.creditCount),
    punctuality_score: mean(s.punctualitySum, s.punctualityCount),
    join_project_count: s.joinProjectCount,
    done_project_count: s.doneProjectCount,
    visits_count: s.visitsCount,
    patient_count: s.patientCount,
    service_time_long: s.serviceMinutes,
    score: mean(s.scoreSum, s.scoreCount),
    help_count: s.helpCount,
  };
}

/**
 * Builds the seed's user objects with their figures (counters, scores, `org_list`). Any number of accounts
 * costs the same two queries, so lists stay free of per-row queries.
 */
@Injectable()
export class UserViewsService {
  constructor(
    @InjectRepository(UserStat) private readonly stats: Repository<UserStat>,
    private readonly orgs: OrgsService,
  ) {}

  async views(
    users: User[],
    reveal: (u: User) => boolean,
    tokenFor?: (u: User) => string | undefined,
  ): Promise<UserView[]> {
    if (!users.length) return [];
    const ids = users.map((u) => u.id);
    const doctorIds = users.filter((u) => u.type === UserType.Doctor).map((u) => u.id);
    const [stats, orgLists] = await Promise.all([
      this.stats.findBy({ userId: In(ids) }),
      this.orgs.approvedOrgsOf(doctorIds),
    ]);
    const byUser = new Map(stats.map((s) => [s.userId, s]));
    return users.map((u) =>
      toUserView(u, {
        reveal: reveal(u),
        token: tokenFor?.(u),
        stats: {
          ...statsOf(byUser.get(u.id)),
          ...(u.type === UserType.Doctor ? { org_list: orgLists.get(u.id) ?? [] } : {}),
        },
      }),
    );
  }

  async view(user: User, options: { reveal: boolean; token?: string }): Promise<UserView> {
    const [view] = await this.views(
      [user],
      () => options.reveal,
      () => options.token,
    );
    return view;
  }
}
