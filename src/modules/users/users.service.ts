import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { Principal } from 'src/common/auth/principal';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { User } from './user.entity';
import { UserViewsService } from './user-views.service';
import { UserView } from './user.view';

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly views: UserViewsService,
  ) {}

  async getById(id: number): Promise<User> {
    const user = await this.users.findOne({ where: { id }, relations: { hospital: true } });
    if (!user) throw new AppException(ErrorCode.ACCOUNT_NOT_FOUND);
    return user;
  }

  /** The caller's own profile, with its token. */
  ownProfile(principal: Principal & { user: User }): Promise<UserView> {
    return this.views.view(principal.user, { reveal: true, token: principal.token });
  }

  /** Anyone's profile as the caller may see it: private fields masked unless it is the caller's own or an operator asks. */
  async profileFor(viewer: Principal, id: number): Promise<UserView> {
    const user = await this.getById(id);
    const reveal = viewer.role === 'admin' || viewer.user?.id === user.id;
    return this.views.view(user, { reveal });
  }
}
