import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Expose, Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsString, Length, Matches } from 'class-validator';
import { ToInt } from 'src/common/http/transforms';

export const PHONE_PATTERN = /^1[3-9]\d{9}$/;

/**
 * A mainland mobile number that the apps may send under other names (the contract's typos `phono` and
 * `photo`); the first present wins.
 */
export function PhoneField(...aliases: string[]): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      example: '15512341234',
      description: aliases.length ? `也接受 ${aliases.join(' / ')}` : undefined,
    }),
    Expose(),
    Transform(({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
      for (const name of [key, ...aliases]) {
        const v = obj[name];
        if (v !== undefined && v !== null && v !== '') return typeof v === 'string' ? v.trim() : v;
      }
      return undefined;
    }),
    IsNotEmpty({ message: '手机号不能为空' }),
    IsString({ message: '手机号格式不正确' }),
    Matches(PHONE_PATTERN, { message: '手机号格式不正确' }),
  );
}

export const SmsCodeField = () =>
  applyDecorators(
    ApiProperty({ example: '123456' }),
    IsNotEmpty({ message: '验证码不能为空' }),
    IsString({ message: '验证码格式不正确' }),
    Matches(/^\d{6}$/, { message: '验证码为 6 位数字' }),
  );

export const PasswordField = () =>
  applyDecorators(
    ApiProperty({ minLength: 6, maxLength: 32 }),
    IsNotEmpty({ message: '密码不能为空' }),
    IsString({ message: '密码格式不正确' }),
    Length(6, 32, { message: '密码长度为 6 到 32 位' }),
  );

/** `type`: 1 patient, 2 doctor, 3 assistant. */
export const UserTypeField = () =>
  applyDecorators(
    ApiProperty({ enum: [1, 2, 3], description: '1患者 2医生 3医助' }),
    ToInt(),
    IsNotEmpty({ message: '用户类型不能为空' }),
    IsIn([1, 2, 3], { message: '用户类型只能是 1、2、3' }),
  );

/** `IsUrl` options for image and link fields: absolute http(s) URLs, hosts without a TLD allowed (local servers). */
export const HTTP_URL = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };
