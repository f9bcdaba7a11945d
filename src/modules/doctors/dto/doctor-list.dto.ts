import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from 'src/common/http/pagination';
import { BlankAsAbsent, ToInt, Trim } from 'src/common/http/transforms';

/** 3.3.9 `sort`: 1 highest score (评分最高), 2 most patients served (热门医生). */
export enum DoctorSort {
  Score = 1,
  Patients = 2,
}

/** An optional positive 32-bit id (a larger one would be a database error, not a 400). */
const OptionalId = () =>
  applyDecorators(
    IsOptional(),
    BlankAsAbsent(),
    ToInt(),
    IsInt({ message: '必须是整数' }),
    Min(1, { message: '必须是正整数' }),
    Max(2_147_483_647, { message: '超出范围' }),
  );

/** Optional text; blank after trimming means "no filter". */
const OptionalText = () =>
  applyDecorators(
    IsOptional(),
    Trim(),
    IsString({ message: '必须是文本' }),
    MaxLength(50, { message: '最长 50 个字符' }),
  );

/** 3.3.9 `/doctor/list` query; the filters combine with AND. */
export class DoctorListQuery extends PageQuery {
  @ApiPropertyOptional({ description: '姓名、医院名称或擅长，不区分大小写' })
  @OptionalText()
  keyword?: string;

  @ApiPropertyOptional({
    enum: DoctorSort,
    description: '1 评分最高 2 热门医生（服务病人最多）；不传为最新入驻',
  })
  @IsOptional()
  @BlankAsAbsent()
  @ToInt()
  @IsIn([DoctorSort.Score, DoctorSort.Patients], { message: '只能是 1 或 2' })
  sort?: DoctorSort;

  @ApiPropertyOptional({ description: '科室（精确匹配）' })
  @OptionalText()
  departments?: string;

  @ApiPropertyOptional({ description: '职称（精确匹配）' })
  @OptionalText()
  job_position?: string;

  @ApiPropertyOptional({ description: '医院 id' })
  @OptionalId()
  hospital_id?: number;

  @ApiPropertyOptional({ description: '组织 id：该组织已通过审核的成员' })
  @OptionalId()
  org_id?: number;
}
