import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ToInt, Trim } from 'src/common/http/transforms';
import { QA_USERNAME, QA_USERNAME_MESSAGE } from './qa-fields';

/** Links the caller's 肺轻松 account: the token its login returned, and who it is there. */
export class LinkAccountDto {
  @ApiProperty({
    description: '肺轻松登录后返回的令牌（40 位十六进制），只加密保存，不会返回',
    minLength: 40,
  })
  @Trim()
  @IsString({ message: 'token 必须是文本' })
  @Matches(/^[0-9a-fA-F]{40}$/, { message: 'token 须为 40 位十六进制字符' })
  token: string;

  @ApiProperty({ description: '肺轻松用户名', maxLength: 150 })
  @Trim()
  @IsString({ message: 'username 必须是文本' })
  @Matches(QA_USERNAME, { message: QA_USERNAME_MESSAGE })
  username: string;

  @ApiPropertyOptional({ description: '肺轻松的患者编号（pk），查询问诊记录时需要' })
  @IsOptional()
  @ToInt()
  @IsInt({ message: 'patient_pk 必须是整数' })
  @Min(1, { message: 'patient_pk 必须是正整数' })
  @Max(2_147_483_647, { message: 'patient_pk 超出范围' })
  patient_pk?: number;
}
