import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { EntityManager } from 'typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { ToInt, Trim } from 'src/common/http/transforms';
import { Hospital } from 'src/modules/hospitals/hospital.entity';
import { Org } from 'src/modules/orgs/org.entity';

/*
 * Fields and rules shared by operator-published content (news, banners, broadcasts): which app it is for, its
 * title and picture, and the hospital or organisation homepage it is placed on.
 */

const APP_TYPES = [1, 2, 3];
const HTTP_URL = /^https?:\/\/\S+$/;
export const HTTP_URL_OR_EMPTY = /^$|^https?:\/\/\S+$/;

/** `type` / `app_type`: 1 patient app, 2 doctor app, 3 assistant app. */
export const AppTypeField = (name: string) =>
  applyDecorators(
    ApiProperty({ enum: APP_TYPES, description: '1患者端 2医生端 3医助端' }),
    ToInt(),
    IsNotEmpty({ message: `${name} 不能为空` }),
    IsIn(APP_TYPES, { message: `${name} 只能是 1、2、3` }),
  );

/** The same as a list filter, where an empty value (`?app_type=`) means "all". */
export const AppTypeFilter = (name: string) =>
  applyDecorators(
    ApiPropertyOptional({ enum: APP_TYPES }),
    Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value)),
    IsOptional(),
    ToInt(),
    IsIn(APP_TYPES, { message: `${name} 只能是 1、2、3` }),
  );

export const TitleField = () =>
  applyDecorators(
    ApiProperty({ maxLength: 200 }),
    Trim(),
    IsNotEmpty({ message: '标题不能为空' }),
    IsString({ message: '标题必须是文本' }),
    MaxLength(200, { message: '标题最长 200 个字符' }),
  );

/** An image URL (what `/imgupload` returns); `optional` lets it be absent or empty. */
export const PhotoField = (optional = false) =>
  applyDecorators(
    optional ? ApiPropertyOptional({ description: '图片地址（/imgupload 返回的 url）' }) : ApiProperty(),
    Trim(),
    ...(optional ? [IsOptional()] : [IsNotEmpty({ message: '图片不能为空' })]),
    IsString({ message: '图片地址必须是文本' }),
    MaxLength(500, { message: '图片地址最长 500 个字符' }),
    Matches(optional ? HTTP_URL_OR_EMPTY : HTTP_URL, { message: '图片地址必须是 http(s) 链接' }),
  );

/**
 * `hospital_id` / `org_id`: the homepage the content is placed on. 0, null or an empty value means none, which
 * is also how an update takes a placement away; absent leaves it as it is.
 */
export const PlacementIdField = () =>
  applyDecorators(
    ApiPropertyOptional({ description: '放在该医院/组织的首页；0 或空表示不限' }),
    Transform(({ value }: { value: unknown }) => (value === null || value === '' ? 0 : value)),
    IsOptional(),
    ToInt(),
    IsInt({ message: '必须是整数 id' }),
    Min(0, { message: '必须是正整数 id' }),
    Max(2_147_483_647, { message: '必须是正整数 id' }),
  );

export interface Placement {
  hospitalId?: number;
  orgId?: number;
}

/** 0 (none) as the column's null; undefined (not given) stays undefined. */
export const placementColumn = (id: number | undefined): number | null | undefined =>
  id === undefined ? undefined : id || null;

/** Refuses a placement on a hospital or organisation that does not exist (there is no foreign key to do it). */
export async function assertPlacementExists(m: EntityManager, p: Placement): Promise<void> {
  if (p.hospitalId && !(await m.existsBy(Hospital, { id: p.hospitalId }))) {
    throw new AppException(ErrorCode.LINKED_HOSPITAL_NOT_FOUND, undefined, { field: 'hospital_id' });
  }
  if (p.orgId && !(await m.existsBy(Org, { id: p.orgId }))) {
    throw new AppException(ErrorCode.LINKED_ORG_NOT_FOUND, undefined, { field: 'org_id' });
  }
}

/** The API names of the columns an update wrote, for its audit record. */
export const changedFields = (columns: object): string[] =>
  Object.keys(columns).map((k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
