import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import type { Address } from 'src/common/database/address';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { Region } from './region.entity';

export interface RegionView {
  id: number;
  parent_id: number;
  name: string;
  short_name: string;
  pinyin: string;
  sort: number;
}

const toView = (r: Region): RegionView => ({
  id: r.id,
  parent_id: r.parentId,
  name: r.name,
  short_name: r.shortName,
  pinyin: r.pinyin,
  sort: r.sort,
});

@Injectable()
export class RegionsService {
  constructor(@InjectRepository(Region) private readonly regions: Repository<Region>) {}

  /** Children of a region; provinces when `parentId` is 0. An unknown parent is a 404, not an empty list. */
  async children(parentId: number): Promise<RegionView[]> {
    const rows = await this.regions.find({ where: { parentId }, order: { sort: 'ASC', id: 'ASC' } });
    if (!rows.length && parentId !== 0 && !(await this.regions.existsBy({ id: parentId }))) {
      throw new AppException(ErrorCode.REGION_NOT_FOUND);
    }
    return rows.map(toView);
  }

  /** Counties of the city named `name` (full or short name: 北京市 or 北京). */
  async countiesOfCity(name: string): Promise<RegionView[]> {
    const city = await this.regions.findOne({
      where: [
        { level: 2, name },
        { level: 2, shortName: name },
      ],
      order: { id: 'ASC' },
    });
    if (!city) throw new AppException(ErrorCode.REGION_NOT_FOUND);
    return this.children(city.id);
  }

  /**
   * Loads the named regions and checks that county ⊂ city ⊂ province (a lower level needs its parent); for
   * profile and hospital addresses. Unknown or mismatched ids are a 422.
   */
  async resolveChain(ids: {
    provinceId?: number | null;
    cityId?: number | null;
    countyId?: number | null;
  }): Promise<Map<number, Region>> {
    const wanted = [ids.provinceId, ids.cityId, ids.countyId].filter(
      (x): x is number => typeof x === 'number' && x > 0,
    );
    const found = new Map((await this.regions.findBy({ id: In(wanted) })).map((r) => [r.id, r]));
    const check = (id: number | null | undefined, level: number, parent: number | null | undefined) => {
      if (!id) return;
      const r = found.get(id);
      if (!r || r.level !== level || (level > 1 && r.parentId !== parent)) {
        throw new AppException(ErrorCode.REGION_INVALID);
      }
    };
    check(ids.provinceId, 1, null);
    check(ids.cityId, 2, ids.provinceId);
    check(ids.countyId, 3, ids.cityId);
    return found;
  }

  /** The address columns for the given ids, names filled from the region table (checked as `resolveChain`). */
  async resolveAddress(ids: {
    provinceId?: number | null;
    cityId?: number | null;
    countyId?: number | null;
  }): Promise<Omit<Address, 'addr'>> {
    const found = await this.resolveChain(ids);
    const name = (id?: number | null) => (id ? (found.get(id)?.name ?? '') : '');
    return {
      provinceId: ids.provinceId || null,
      provinceName: name(ids.provinceId),
      cityId: ids.cityId || null,
      cityName: name(ids.cityId),
      countyId: ids.countyId || null,
      countyName: name(ids.countyId),
    };
  }
}
