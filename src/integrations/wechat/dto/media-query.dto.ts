import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Length, Matches } from 'class-validator';
import { Trim } from 'src/common/http/transforms';

/** 3.1.14 `media_id`: WeChat's ids are letters, digits, `_` and `-` (64 characters in practice). */
export class MediaQuery {
  @ApiProperty({ description: '微信素材 id（公众号临时素材，三天内有效）', minLength: 1, maxLength: 128 })
  @Trim()
  @IsNotEmpty({ message: '素材 id 不能为空' })
  @IsString({ message: '素材 id 必须是文本' })
  @Length(1, 128, { message: '素材 id 最长 128 个字符' })
  @Matches(/^[\w-]+$/, { message: '素材 id 只能包含字母、数字、下划线和连字符' })
  media_id: string;
}
