import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, IsNull, Repository } from 'typeorm';
import { sentFields } from 'src/common/database/query-helpers';
import { Placement } from 'src/modules/news/content-fields';
import { Banner } from './banner.entity';
import { BannerView, toBannerView } from './banner.view';

/** `sort` ascending, then the newer first among equals. */
export const BANNER_ORDER = { sort: 'ASC', id: 'DESC' } as const;

@Injectable()
export class BannersService {
  constructor(@InjectRepository(Banner) private readonly banners: Repository<Banner>) {}

  /**
   * The banners of one app's homepage: with a hospital or organisation, the ones placed on that homepage;
   * without, the app's general banners (placed on no hospital and no organisation).
   */
  async forHomepage(appType: number, placement: Placement = {}): Promise<BannerView[]> {
    const where: FindOptionsWhere<Banner> =
      placement.hospitalId || placement.orgId
        ? sentFields({
            appType,
            hospitalId: placement.hospitalId || undefined,
            orgId: placement.orgId || undefined,
          })
        : { appType, hospitalId: IsNull(), orgId: IsNull() };
    const rows = await this.banners.find({ where, order: BANNER_ORDER });
    return rows.map(toBannerView);
  }
}
