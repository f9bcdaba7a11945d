import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from 'src/common/http/pagination';
import { ToInt, Trim } from 'src/common/http/transforms';
import { PasswordField, PhoneField } from 'src/common/validation/fields';
import { UserType, VerifyState } from 'src/modules/users/user.entity';

export class OperatorLoginDto {
  @PhoneField()
  phone: string;

  @PasswordField()
  pwd: string;
}

/**
 * An integer filter where an empty value means "no filter": DESIGN §9 writes the route `?type=&is_verify=&keyword=`,
 * so an operator console built from it sends the empty parameters, which must not be a 400.
 */
const OptionalIntFilter = () =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const text = value.trim();
    if (text === '') return undefined;
    return /^-?\d+$/.test(text) ? Number(text) : value;
  });

export class AdminUsersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: [1, 2, 3] })
  @IsOptional()
  @OptionalIntFilter()
  @IsIn([1, 2, 3], { message: 'type 只能是 1、2、3' })
  type?: UserType;

  @ApiPropertyOptional({ enum: [0, 1, 2] })
  @IsOptional()
  @OptionalIntFilter()
  @IsIn([0, 1, 2], { message: 'is_verify 只能是 0、1、2' })
  is_verify?: VerifyState;

  @ApiPropertyOptional({ description: '姓名或手机号中包含的文字（手机号至少 4 位），或完整的身份证号' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(50)
  keyword?: string;
}

export class VerifyUserDto {
  @ApiProperty({ enum: [0, 1, 2], description: '0 待核验 1 启用 2 禁用' })
  @ToInt()
  @IsNotEmpty({ message: 'is_verify 不能为空' })
  @IsIn([0, 1, 2], { message: 'is_verify 只能是 0、1、2' })
  is_verify: VerifyState;
}
