import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';
import { ToArray, ToInt, Trim } from 'src/common/http/transforms';
import { HTTP_URL } from 'src/common/validation/fields';
import { UserType } from 'src/modules/users/user.entity';

const CHAT_CONTENT_MAX = 256;

/** Counts characters as Postgres' varchar does (code points), so an emoji counts once, not twice. */
const MaxChars = (max: number, message: string) =>
  ValidateBy({
    name: 'maxChars',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && [...value].length <= max,
      defaultMessage: () => message,
    },
  });

/** 3.6.2 发送留言 */
export class SendChatDto {
  @ApiProperty({ maxLength: CHAT_CONTENT_MAX, description: '消息内容' })
  @Trim()
  @IsNotEmpty({ message: '留言内容不能为空' })
  @IsString({ message: '留言内容必须是文本' })
  @MaxChars(CHAT_CONTENT_MAX, `留言内容最多 ${CHAT_CONTENT_MAX} 字`)
  content: string;

  @ApiPropertyOptional({ type: [String], description: '留言图片，最多三张（数组、JSON 字符串或 photo[]=）' })
  @IsOptional()
  @ToArray()
  @IsArray({ message: '留言图片须为数组' })
  @ArrayMaxSize(3, { message: '留言图片最多三张' })
  @IsUrl(HTTP_URL, { each: true, message: '留言图片须为图片地址' })
  photo?: string[];

  @ApiProperty({ enum: [1, 2], description: '发起留言的用户类型：患者 1、医生 2（须与当前账号一致）' })
  @ToInt()
  @IsIn([UserType.Patient, UserType.Doctor], { message: 'type 须为 1（患者）或 2（医生）' })
  type: UserType;

  @ApiProperty({ description: '发送对象的用户 id' })
  @ToInt()
  @IsInt({ message: 'to_user_id 必须是整数' })
  @Min(1, { message: 'to_user_id 必须是正整数' })
  @Max(2_147_483_647, { message: 'to_user_id 超出范围' })
  to_user_id: number;
}
