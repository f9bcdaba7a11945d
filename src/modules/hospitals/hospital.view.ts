import { toAddressView } from 'src/common/database/address';
import type { Hospital } from './hospital.entity';

/** 2.2.10 医院信息, plus `lng`/`lat` as text like the project object's ("" when unknown). */
export const toHospitalView = (h: Hospital) => ({
  id: h.id,
  name: h.name,
  logo: h.logo,
  banner: h.banner ?? [],
  level: h.level,
  tag: h.tag,
  ...toAddressView(h.address),
  lng: h.lng ?? '',
  lat: h.lat ?? '',
});

export type HospitalView = ReturnType<typeof toHospitalView>;
