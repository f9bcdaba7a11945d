import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Trim } from 'src/common/http/transforms';
import { AppTypeField, TitleField } from 'src/modules/news/content-fields';

export class BroadcastDto {
  @AppTypeField('app_type')
  app_type: number;

  @TitleField()
  title: string;

  @ApiProperty({ maxLength: 5000 })
  @Trim()
  @IsNotEmpty({ message: '内容不能为空' })
  @IsString({ message: '内容必须是文本' })
  @MaxLength(5000, { message: '内容最长 5000 个字符' })
  content: string;
}
