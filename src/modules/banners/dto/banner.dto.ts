import { ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from 'src/common/http/pagination';
import { ToInt, Trim } from 'src/common/http/transforms';
import {
  AppTypeField,
  AppTypeFilter,
  HTTP_URL_OR_EMPTY,
  PhotoField,
  PlacementIdField,
  TitleField,
} from 'src/modules/news/content-fields';

export class AdminBannersQuery extends PageQuery {
  @AppTypeFilter('app_type')
  app_type?: number;
}

export class CreateBannerDto {
  @AppTypeField('app_type')
  app_type: number;

  @TitleField()
  title: string;

  @PhotoField()
  photo: string;

  @ApiPropertyOptional({ default: 0, description: '0 不跳转，1 打开 href，其他值由 App 按 jump_id 跳转' })
  @IsOptional()
  @ToInt()
  @IsInt({ message: '必须是整数' })
  @Min(0, { message: '最小为 0' })
  @Max(99, { message: '最大为 99' })
  jump_mode?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @ToInt()
  @IsInt({ message: '必须是整数' })
  @Min(0, { message: '不能为负数' })
  @Max(2_147_483_647, { message: '超出范围' })
  jump_id?: number;

  @ApiPropertyOptional({ default: '', description: 'jump_mode 为 1 时必填' })
  @IsOptional()
  @Trim()
  @IsString({ message: '必须是文本' })
  @MaxLength(500, { message: '最长 500 个字符' })
  @Matches(HTTP_URL_OR_EMPTY, { message: '必须是 http(s) 链接' })
  href?: string;

  @PlacementIdField()
  hospital_id?: number;

  @PlacementIdField()
  org_id?: number;

  @ApiPropertyOptional({ default: 0, description: '小的在前' })
  @IsOptional()
  @ToInt()
  @IsInt({ message: '必须是整数' })
  @Min(-1_000_000, { message: '最小为 -1000000' })
  @Max(1_000_000, { message: '最大为 1000000' })
  sort?: number;
}

/** Only the fields given change. */
export class UpdateBannerDto extends PartialType(CreateBannerDto) {}
