import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { paged } from 'src/common/http/pagination';
import { formatDateTime } from 'src/common/time';
import { AuditService } from 'src/modules/audit/audit.service';
import { accountKeyword } from 'src/modules/users/account-keyword';
import { User, VerifyState } from 'src/modules/users/user.entity';
import { UserViewsService } from 'src/modules/users/user-views.service';
import { AdminUsersQuery } from './dto/admin.dto';

@Injectable()
export class AdminUsersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly views: UserViewsService,
  ) {}

  /** Accounts for review, newest first, with full private fields (operators may see them). */
  async list(q: AdminUsersQuery) {
    const qb = this.db.manager
      .createQueryBuilder(User, 'u')
      .leftJoinAndSelect('u.hospital', 'h')
      .orderBy('u.id', 'DESC')
      .skip(q.offset)
      .take(q.page_size);
    if (q.type !== undefined) qb.andWhere('u.type = :type', { type: q.type });
    if (q.is_verify !== undefined) qb.andWhere('u.is_verify = :v', { v: q.is_verify });
    if (q.keyword) qb.andWhere(accountKeyword(q.keyword, { byIdno: true }));
    const [users, count] = await qb.getManyAndCount();
    const views = await this.views.views(users, () => true);
    const list = users.map((u, i) => ({ ...views[i], created_at: formatDateTime(u.createdAt) }));
    return paged(list, count, q);
  }

  /** Approves, resets to pending or disables an account (its sessions answer 403 20004 while disabled). Audited. */
  async setVerifyState(operatorId: number, userId: number, state: VerifyState, ip: string) {
    return this.db.transaction(async (m) => {
      const user = await m.findOne(User, { where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new AppException(ErrorCode.ACCOUNT_NOT_FOUND);
      const before = user.isVerify;
      // Sessions are kept, not deleted: the token guard refuses a disabled account's tokens with 20004
      // (账号已被禁用), which the apps can explain; a deleted token would only say 20002 "log in again".
      await m.update(User, { id: userId }, { isVerify: state });
      await this.audit.record(
        {
          operatorId,
          action: 'user.verify',
          targetType: 'user',
          targetId: userId,
          detail: { from: before, to: state },
          ip,
        },
        m,
      );
      return { id: userId, is_verify: state };
    });
  }
}
