import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { Principal } from 'src/common/auth/principal';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { User, UserType } from './user.entity';
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

  /**
   * Anyone's profile as the caller may see it (DESIGN §2): private fields in full only to the account itself,
   * to an assistant bound to that patient (3.4.6) and to operators; masked for everyone else.
   */
  async profileFor(viewer: Principal, id: number): Promise<UserView> {
    const user = await this.getById(id);
    const reveal =
      viewer.role === 'admin' ||
      viewer.user?.id === user.id ||
      (viewer.role === 'assistant' &&
        user.type === UserType.Patient &&
        (await this.isBoundAssistant(viewer.user!.id, user.id)));
    return this.views.view(user, { reveal });
  }

  /**
   * Read straight from the assistants module's table: that module imports this one, so this one cannot ask its
   * service without a cycle.
   */
  private async isBoundAssistant(assistantId: number, patientId: number): Promise<boolean> {
    const rows = await this.users.query<unknown[]>(
      'SELECT 1 FROM assistant_patient WHERE assistant_id = $1 AND patient_id = $2',
      [assistantId, patientId],
    );
    return rows.length > 0;
  }
}
