import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { paged } from 'src/common/http/pagination';
import { AuditService } from 'src/modules/audit/audit.service';
import { findLockedOrFail, sentFields } from 'src/common/database/query-helpers';
import { assertPlacementExists, changedFields, placementColumn } from 'src/modules/news/content-fields';
import { Banner } from './banner.entity';
import { BANNER_ORDER } from './banners.service';
import { toAdminBannerView } from './banner.view';
import { AdminBannersQuery, CreateBannerDto, UpdateBannerDto } from './dto/banner.dto';

/** `jump_mode` 1 opens `href`; 0 goes nowhere; higher modes jump inside the app to `jump_id`. */
const JUMP_LINK = 1;

/** The given fields as columns; a null for a required field counts as not given. */
const columnsOf = (dto: UpdateBannerDto): Partial<Banner> =>
  sentFields({
    appType: dto.app_type ?? undefined,
    title: dto.title ?? undefined,
    photo: dto.photo ?? undefined,
    jumpMode: dto.jump_mode ?? undefined,
    jumpId: dto.jump_id ?? undefined,
    href: dto.href ?? undefined,
    hospitalId: placementColumn(dto.hospital_id),
    orgId: placementColumn(dto.org_id),
    sort: dto.sort ?? undefined,
  });

const invalid = (field: string, reason: string) =>
  new AppException(ErrorCode.VALIDATION_FAILED, `参数 ${field} 不正确：${reason}`, { field });

/** A banner must lead where its jump mode says: a link needs `href`, an in-app jump needs `jump_id`. */
function assertJumpTarget(b: Pick<Banner, 'jumpMode' | 'jumpId' | 'href'>): void {
  if (b.jumpMode === JUMP_LINK && !b.href) throw invalid('href', 'jump_mode 为 1 时必须填写链接');
  if (b.jumpMode > JUMP_LINK && b.jumpId < 1) throw invalid('jump_id', 'App 内跳转需要目标 id');
}

/** Operators manage homepage banners (§9). Every write is audited in its transaction. */
@Injectable()
export class BannersAdminService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(q: AdminBannersQuery) {
    const [rows, count] = await this.db.manager.findAndCount(Banner, {
      where: q.app_type === undefined ? {} : { appType: q.app_type },
      order: { appType: 'ASC', ...BANNER_ORDER },
      skip: q.offset,
      take: q.page_size,
    });
    return paged(rows.map(toAdminBannerView), count, q);
  }

  async create(operatorId: number, dto: CreateBannerDto, ip: string) {
    const banner = this.db.manager.create(Banner, {
      jumpMode: 0,
      jumpId: 0,
      href: '',
      sort: 0,
      ...columnsOf(dto),
    });
    assertJumpTarget(banner);
    return this.db.transaction(async (m) => {
      await assertPlacementExists(m, { hospitalId: dto.hospital_id, orgId: dto.org_id });
      const saved = await m.save(banner);
      await this.record(m, operatorId, ip, 'banner.create', saved.id, {
        app_type: saved.appType,
        title: saved.title,
        hospital_id: saved.hospitalId,
        org_id: saved.orgId,
      });
      return toAdminBannerView(saved);
    });
  }

  /** Changes the fields given; `hospital_id`/`org_id` 0 takes the placement away. */
  async update(operatorId: number, id: number, dto: UpdateBannerDto, ip: string) {
    return this.db.transaction(async (m) => {
      const banner = await findLockedOrFail(m, Banner, id, ErrorCode.BANNER_NOT_FOUND);
      const columns = columnsOf(dto);
      // Nothing given, nothing written, nothing to audit.
      if (!Object.keys(columns).length) return toAdminBannerView(banner);
      const updated = Object.assign(banner, columns);
      assertJumpTarget(updated);
      await assertPlacementExists(m, { hospitalId: dto.hospital_id, orgId: dto.org_id });
      await m.update(Banner, { id }, columns);
      await this.record(m, operatorId, ip, 'banner.update', id, { fields: changedFields(columns) });
      return toAdminBannerView(updated);
    });
  }

  async remove(operatorId: number, id: number, ip: string) {
    return this.db.transaction(async (m) => {
      const banner = await findLockedOrFail(m, Banner, id, ErrorCode.BANNER_NOT_FOUND);
      await m.delete(Banner, { id });
      await this.record(m, operatorId, ip, 'banner.delete', id, {
        app_type: banner.appType,
        title: banner.title,
      });
      return { id };
    });
  }

  private record(
    m: EntityManager,
    operatorId: number,
    ip: string,
    action: string,
    targetId: number,
    detail: Record<string, unknown>,
  ) {
    return this.audit.record({ operatorId, action, targetType: 'banner', targetId, detail, ip }, m);
  }
}
