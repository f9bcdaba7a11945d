import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from 'src/common/http/pagination';
import { Trim } from 'src/common/http/transforms';
import { IdFilter, IntFilter } from 'src/modules/hospitals/dto/directory.fields';

/** 3.3.2 `sort`: 1 离我最近, 2 最新发布, 3 热门义诊 (most booked). */
export enum ProjectSort {
  Nearest = 1,
  Newest = 2,
  MostBooked = 3,
}

/** Optional text filter; blank after trimming means "no filter", a repeated key (an array) is refused. */
const TextFilter = () =>
  applyDecorators(
    IsOptional(),
    Trim(),
    IsString({ message: '必须是文本' }),
    MaxLength(50, { message: '最长 50 个字符' }),
  );

/** 3.3.2 `/project` query; the filters combine with AND. */
export class ProjectListQuery extends PageQuery {
  @ApiPropertyOptional({ description: '地址、简介、医生姓名或医院名称，不区分大小写' })
  @TextFilter()
  keyword?: string;

  @ApiPropertyOptional({
    enum: ProjectSort,
    description: '1 离我最近（按 X-location 请求头；没有或无法识别时按最新）2 最新发布 3 热门义诊；默认最新',
  })
  @IntFilter([ProjectSort.Nearest, ProjectSort.Newest, ProjectSort.MostBooked])
  sort?: ProjectSort;

  @ApiPropertyOptional({ description: '服务对象，如 老年人、儿童（精确匹配其中一项）' })
  @TextFilter()
  service_target?: string;

  @ApiPropertyOptional({ description: '疾病类型：医生的科室（精确匹配）' })
  @TextFilter()
  departments?: string;

  @ApiPropertyOptional({ description: '医院 id' })
  @IdFilter()
  hospital_id?: number;

  @ApiPropertyOptional({ description: '组织 id：医生为该组织已通过审核的成员' })
  @IdFilter()
  org_id?: number;
}
