import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDate, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from 'src/common/http/pagination';
import { Trim } from 'src/common/http/transforms';
import { AppTypeField, AppTypeFilter, PhotoField, PlacementIdField, TitleField } from '../content-fields';
import { parseDateTime } from '../publish-time';

export class NewsTypeParam {
  @AppTypeField('type')
  type: number;
}

export class AdminNewsQuery extends PageQuery {
  @AppTypeFilter('type')
  type?: number;
}

/** `YYYY-MM-DD HH:mm:ss` in the platform zone, turned into an instant; empty or null means "not given". */
const PublishTime = () =>
  Transform(({ value }: { value: unknown }) => {
    if (value === '' || value === null) return undefined;
    return typeof value === 'string' ? (parseDateTime(value.trim()) ?? value) : value;
  });

export class CreateNewsDto {
  @AppTypeField('type')
  type: number;

  @TitleField()
  title: string;

  @PhotoField(true)
  photo?: string;

  @ApiProperty({ description: '富文本' })
  @Trim()
  @IsNotEmpty({ message: '内容不能为空' })
  @IsString({ message: '内容必须是文本' })
  @MaxLength(100_000, { message: '内容最长 100000 个字符' })
  content: string;

  @ApiPropertyOptional({
    example: '2017-02-17 13:00:00',
    description: '发布时间（平台时区），默认现在；之前不对外显示',
  })
  @PublishTime()
  @IsOptional()
  @IsDate({ message: '时间格式为 YYYY-MM-DD HH:mm:ss' })
  publish_time?: Date;

  @PlacementIdField()
  hospital_id?: number;

  @PlacementIdField()
  org_id?: number;
}

/** Only the fields given change. */
export class UpdateNewsDto extends PartialType(CreateNewsDto) {}
