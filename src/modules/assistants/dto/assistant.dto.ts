import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from 'src/common/http/pagination';
import { ToInt, Trim } from 'src/common/http/transforms';
import { PasswordField, PhoneField, SmsCodeField } from 'src/common/validation/fields';
import { JoinProjectDto } from 'src/modules/projects/dto/booking.dto';
import { PatientProfileDto } from 'src/modules/users/dto/profile.dto';

/** 3.4.3 添加病人(已有账号): the patient's phone and the code sent to it (`POST /phone/verifycode`). */
export class BindPatientDto {
  @PhoneField('phono')
  phone: string;

  @SmsCodeField()
  verify_code: string;
}

/** 3.4.4 新建病人: a complete patient profile (3.1.3) plus the new account's phone and password. */
export class CreatePatientDto extends PatientProfileDto {
  @PhoneField('phono')
  phone: string;

  @PasswordField()
  pwd: string;
}

/** 3.4.5 我的病人列表. */
export class PatientSearchQuery extends PageQuery {
  @ApiPropertyOptional({ description: '姓名或手机号中包含的文字（手机号至少 4 位）' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(50, { message: '搜索词最多 50 个字' })
  keyword?: string;
}

/** What the casebook says when the assistant leaves it empty. */
export const DEFAULT_CASEBOOK = '医助代为预约';

/** 3.4.7 加入义诊: the patient's booking fields, with the casebook optional, plus which bound patient. */
export class AssistantJoinDto extends OmitType(JoinProjectDto, ['content'] as const) {
  @ApiProperty({ description: '病人（已绑定的患者）id' })
  @ToInt()
  @IsNotEmpty({ message: '请选择病人' })
  @IsInt({ message: '病人 id 必须是整数' })
  @Min(1, { message: '病人 id 必须是正整数' })
  @Max(2_147_483_647, { message: '病人 id 不正确' })
  user_id: number;

  @ApiPropertyOptional({ description: `病例信息，不填为“${DEFAULT_CASEBOOK}”` })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(2000, { message: '病例信息最多 2000 字' })
  content?: string;
}
