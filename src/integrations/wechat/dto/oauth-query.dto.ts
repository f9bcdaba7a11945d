import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Length, Matches } from 'class-validator';
import { Trim } from 'src/common/http/transforms';

/** `code` from WeChat's web authorization (32 letters and digits in practice), usable once within 5 minutes. */
export class OauthQuery {
  @ApiProperty({
    description: '微信网页授权回调中的 code（只能使用一次，5 分钟内有效）',
    minLength: 1,
    maxLength: 128,
  })
  @Trim()
  @IsNotEmpty({ message: '授权码不能为空' })
  @IsString({ message: '授权码必须是文本' })
  @Length(1, 128, { message: '授权码最长 128 个字符' })
  @Matches(/^[\w-]+$/, { message: '授权码只能包含字母、数字、下划线和连字符' })
  code: string;
}
