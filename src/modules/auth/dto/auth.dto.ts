import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { ToInt } from 'src/common/http/transforms';
import { PasswordField, PhoneField, SmsCodeField, UserTypeField } from 'src/common/validation/fields';
import { UserType } from 'src/modules/users/user.entity';

export class RegisterDto {
  @PhoneField('phono')
  phone: string;

  @SmsCodeField()
  verify_code: string;

  @PasswordField()
  pwd: string;

  @UserTypeField()
  type: UserType;
}

export class LoginDto {
  @PhoneField('phono')
  phone: string;

  @PasswordField()
  pwd: string;

  @UserTypeField()
  type: UserType;
}

/** Same fields as registration: phone, SMS code, the new password and the account type. */
export class ResetPasswordDto extends RegisterDto {}

export class PhoneLoginDto {
  @PhoneField('photo', 'phono')
  phone: string;

  @SmsCodeField()
  verify_code: string;

  @ApiPropertyOptional({ enum: [1, 2, 3], default: 1 })
  // An explicit null (or an empty form field) means "not given" too: left as null it passed @IsOptional and
  // reached the account lookup, which failed with a 500.
  @Transform(({ value }: { value: unknown }) => (value === null || value === '' ? UserType.Patient : value))
  @IsOptional()
  @ToInt()
  @IsIn([1, 2, 3], { message: '用户类型只能是 1、2、3' })
  type: UserType = UserType.Patient;
}
