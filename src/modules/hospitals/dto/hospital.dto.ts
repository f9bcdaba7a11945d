import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { ToInt } from 'src/common/http/transforms';
import { NameField, TextField, UrlField, UrlListField } from './directory.fields';

/** A GB/T 2260 region id; `0` or `null` clears it (the hospital object shows an absent id as 0). */
const RegionIdField = (label: string) =>
  applyDecorators(
    IsOptional(),
    ToInt(),
    IsInt({ message: `${label} id 必须是整数` }),
    Min(0, { message: `${label} id 必须是六位地区代码` }),
    Max(999999, { message: `${label} id 必须是六位地区代码` }),
  );

/** Degrees as a number or numeric text (forms send text); `""` or `null` clears the coordinate. */
const CoordinateField = (label: string, limit: number) =>
  applyDecorators(
    IsOptional(),
    Transform(({ value }: { value: unknown }) => {
      if (value === '') return null;
      if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
      return value;
    }),
    IsNumber({ allowNaN: false, allowInfinity: false }, { message: `${label}必须是数字` }),
    Min(-limit, { message: `${label}范围为 -${limit} 到 ${limit}` }),
    Max(limit, { message: `${label}范围为 -${limit} 到 ${limit}` }),
  );

/** Everything but the name; the create and update forms differ only in whether the name is required. */
abstract class HospitalFields {
  @ApiPropertyOptional({ description: 'logo 图片地址' })
  @UrlField('logo')
  logo?: string;

  @ApiPropertyOptional({ type: [String], description: 'banner 图片地址数组（最多 10 张）' })
  @UrlListField('banner', 10)
  banner?: string[];

  @ApiPropertyOptional({ example: '三级甲等' })
  @TextField('级别', 50)
  level?: string;

  @ApiPropertyOptional({ example: '心血管科', description: '标签 特色' })
  @TextField('标签', 100)
  tag?: string;

  @ApiPropertyOptional({ example: 110000 })
  @RegionIdField('省份')
  province_id?: number | null;

  @ApiPropertyOptional({ example: 110100 })
  @RegionIdField('城市')
  city_id?: number | null;

  @ApiPropertyOptional({ example: 110105 })
  @RegionIdField('区县')
  county_id?: number | null;

  @ApiPropertyOptional({ example: '国贸三期' })
  @TextField('地址', 200)
  addr?: string;

  @ApiPropertyOptional({ example: 116.397, description: '经度 -180..180' })
  @CoordinateField('经度', 180)
  lng?: number | null;

  @ApiPropertyOptional({ example: 39.909, description: '纬度 -90..90' })
  @CoordinateField('纬度', 90)
  lat?: number | null;
}

/** `POST /admin/hospitals`: seed 2.2.10 fields plus `lng`, `lat`; region names come from the region table. */
export class CreateHospitalDto extends HospitalFields {
  @ApiProperty({ example: '北京协和医院' })
  @NameField('医院名称', 100, true)
  name: string;
}

/** `PUT /admin/hospitals/{id}`: only the fields sent change. */
export class UpdateHospitalDto extends HospitalFields {
  @ApiPropertyOptional({ example: '北京协和医院' })
  @NameField('医院名称', 100, false)
  name?: string;
}

export type HospitalInput = Partial<CreateHospitalDto>;
