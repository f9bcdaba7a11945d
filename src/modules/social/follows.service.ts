import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { PageQuery, Paged } from 'src/common/http/pagination';
import { DoctorsService, isListedDoctor } from 'src/modules/doctors/doctors.service';
import { User, UserType } from 'src/modules/users/user.entity';
import { UsersService } from 'src/modules/users/users.service';
import { UserView } from 'src/modules/users/user.view';
import { Follow } from './follow.entity';

/** Patients and assistants following doctors (3.1.8, 3.1.9) and their lists (3.3.12, 3.4.2). */
@Injectable()
export class FollowsService {
  constructor(
    @InjectRepository(Follow) private readonly follows: Repository<Follow>,
    private readonly users: UsersService,
    private readonly doctors: DoctorsService,
  ) {}

  /** Only listed (verified) doctors can be followed; following again keeps the one row and its date. */
  async follow(follower: User, doctorId: number): Promise<void> {
    const doctor = await this.users.getById(doctorId);
    if (doctor.type !== UserType.Doctor) throw new AppException(ErrorCode.FOLLOW_TARGET_NOT_DOCTOR);
    if (!isListedDoctor(doctor)) throw new AppException(ErrorCode.FOLLOW_DOCTOR_UNAVAILABLE);
    // ON CONFLICT DO NOTHING: two concurrent follows cannot fail on the unique constraint.
    await this.follows
      .createQueryBuilder()
      .insert()
      .values({ followerId: follower.id, doctorId })
      .orIgnore()
      .updateEntity(false)
      .execute();
  }

  /**
   * Idempotent and unchecked: unfollowing someone not followed (or no longer a listed doctor, or gone) leaves
   * nothing to remove, and a disabled doctor must stay unfollowable.
   */
  async unfollow(follower: User, doctorId: number): Promise<void> {
    await this.follows.delete({ followerId: follower.id, doctorId });
  }

  /** The caller's followed doctors, most recently followed first; doctors no longer listed drop out (rows kept). */
  followed(follower: User, q: PageQuery): Promise<Paged<UserView>> {
    return this.doctors.page(q, (qb) =>
      qb
        .innerJoin(Follow, 'f', 'f.doctor_id = u.id AND f.follower_id = :followerId', {
          followerId: follower.id,
        })
        .addOrderBy('f.created_at', 'DESC')
        .addOrderBy('f.id', 'DESC'),
    );
  }
}
