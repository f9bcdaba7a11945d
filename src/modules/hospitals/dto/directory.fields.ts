import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { PageQuery } from 'src/common/http/pagination';
import { HTTP_URL } from 'src/common/validation/fields';
import { BlankAsAbsent, ToArray, ToInt, Trim } from 'src/common/http/transforms';

/*
 * Field rules shared by the directory modules (hospitals, orgs) and their operator forms. Operator writes are
 * partial: an absent field is left unchanged, so "absent" and "null" must not be confused — a null in a NOT NULL
 * column would be a database error, not a 400.
 */

/** Validates only when the field was sent; `null` then fails the validators that follow. */
const WhenSent = () => ValidateIf((_o: object, v: unknown) => v !== undefined);

/** A required name on create (`required`), or an optional one on update that may not be blanked. */
export const NameField = (label: string, max: number, required: boolean) =>
  applyDecorators(
    ...(required ? [] : [WhenSent()]),
    Trim(),
    IsNotEmpty({ message: `${label}不能为空` }),
    IsString({ message: `${label}必须是文本` }),
    MaxLength(max, { message: `${label}最多 ${max} 个字` }),
  );

/** Optional text; `""` clears it. */
export const TextField = (label: string, max: number) =>
  applyDecorators(
    WhenSent(),
    Trim(),
    IsString({ message: `${label}必须是文本` }),
    MaxLength(max, { message: `${label}最多 ${max} 个字` }),
  );

/** Optional image URL (from `/imgupload`); `""` clears it. */
export const UrlField = (label: string) =>
  applyDecorators(
    Trim(),
    ValidateIf((_o: object, v: unknown) => v !== undefined && v !== ''),
    IsString({ message: `${label}必须是图片地址` }),
    MaxLength(500, { message: `${label}地址过长` }),
    IsUrl(HTTP_URL, { message: `${label}必须是 http(s) 图片地址` }),
  );

/** Optional list of image URLs: a JSON array, repeated `a[]=` keys or a JSON string of an array. */
export const UrlListField = (label: string, maxItems: number) =>
  applyDecorators(
    WhenSent(),
    ToArray(),
    IsArray({ message: `${label}必须是图片地址数组` }),
    ArrayMaxSize(maxItems, { message: `${label}最多 ${maxItems} 张` }),
    IsString({ each: true, message: `${label}必须是图片地址` }),
    MaxLength(500, { each: true, message: `${label}地址过长` }),
    IsUrl(HTTP_URL, { each: true, message: `${label}必须是 http(s) 图片地址` }),
  );

/** An optional integer filter among `allowed`; blank means no filter. */
export const IntFilter = (allowed: number[]) =>
  applyDecorators(
    IsOptional(),
    BlankAsAbsent(),
    ToInt(),
    IsIn(allowed, { message: `只能是 ${allowed.join('、')}` }),
  );

/** An optional positive 32-bit id filter; blank means no filter. */
export const IdFilter = () =>
  applyDecorators(
    IsOptional(),
    BlankAsAbsent(),
    ToInt(),
    IsInt({ message: '必须是整数' }),
    Min(1, { message: '必须是正整数' }),
    Max(2_147_483_647, { message: '超出范围' }),
  );

/** `keyword` (name search, case-insensitive; blank means all) plus paging: 3.3.1 `/hospital`, 3.2.18 `/org`. */
export class KeywordPageQuery extends PageQuery {
  @ApiPropertyOptional({ description: '名称关键字，不区分大小写' })
  @IsOptional()
  @Trim()
  @IsString({ message: '关键字必须是文本' })
  @MaxLength(50, { message: '关键字最多 50 个字' })
  keyword?: string;
}
