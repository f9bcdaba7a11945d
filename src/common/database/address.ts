import { Column } from 'typeorm';

/**
 * A place in the GB/T 2260 divisions plus a street address; the names are copied from the region table when
 * the ids are set, so lists never join regions. Embedded without prefix: columns `province_id`, `province_name`…
 */
export class Address {
  @Column({ type: 'integer', nullable: true })
  provinceId: number | null;

  @Column({ type: 'varchar', length: 50, default: '' })
  provinceName: string;

  @Column({ type: 'integer', nullable: true })
  cityId: number | null;

  @Column({ type: 'varchar', length: 50, default: '' })
  cityName: string;

  @Column({ type: 'integer', nullable: true })
  countyId: number | null;

  @Column({ type: 'varchar', length: 50, default: '' })
  countyName: string;

  @Column({ type: 'varchar', length: 200, default: '' })
  addr: string;
}

/** The seed's address fields (`province_id` … `addr`); ids absent are 0. */
export function toAddressView(a: Address) {
  return {
    province_id: a.provinceId ?? 0,
    province_name: a.provinceName,
    city_id: a.cityId ?? 0,
    city_name: a.cityName,
    county_id: a.countyId ?? 0,
    county_name: a.countyName,
    addr: a.addr,
  };
}
