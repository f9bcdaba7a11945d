import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { PhoneField } from 'src/common/validation/fields';

export class SendPhoneCodeDto {
  @PhoneField()
  phone: string;
}

export class SendCaptchaCodeDto extends SendPhoneCodeDto {
  @ApiProperty({ description: '图形验证码（不区分大小写）' })
  @IsNotEmpty({ message: '图形验证码不能为空' })
  @IsString()
  @MaxLength(16)
  captcha_code: string;
}
