import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
} from 'class-validator';
import { ToArray, Trim } from 'src/common/http/transforms';
import { HTTP_URL } from 'src/common/validation/fields';

/** The partner's ids (`dept_id`, `doctor_id`, `service_id`): short tokens, never free text. */
export const LC_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Yuan with at most two decimals, up to 10000. */
const AMOUNT_PATTERN = /^(10000(\.0{1,2})?|\d{1,4}(\.\d{1,2})?)$/;

/** Amounts arrive as numbers or text ("9.90"); validated as text so no float rounding slips in. */
const ToAmountText = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : value,
  );

const LcId = (what: string) =>
  Matches(LC_ID_PATTERN, { message: `${what}须为联空医问的编号（字母、数字、_ 或 -，最多 64 位）` });

/** 向联空医问医生提问 */
export class CreateQuestionDto {
  @ApiProperty({ description: '联空医问医生编号（医生列表的 doctor_id）', example: 'LCD1001' })
  @Trim()
  @IsNotEmpty({ message: 'doctor_id 不能为空' })
  @IsString({ message: 'doctor_id 必须是文本' })
  @LcId('doctor_id ')
  doctor_id: string;

  @ApiPropertyOptional({ description: '联空医问科室编号（科室列表的 dept_id）；给出时医生须属于该科室' })
  @IsOptional()
  @Trim()
  @IsString({ message: 'dept_id 必须是文本' })
  @LcId('dept_id ')
  dept_id?: string;

  @ApiProperty({ description: '提问内容', maxLength: 1000 })
  @Trim()
  @IsNotEmpty({ message: '提问内容不能为空' })
  @IsString({ message: '提问内容必须是文本' })
  @MaxLength(1000, { message: '提问内容最多 1000 字' })
  content: string;

  @ApiPropertyOptional({
    type: [String],
    description: '图片地址，最多 9 张（数组、JSON 字符串或 images[]=）',
  })
  @IsOptional()
  @ToArray()
  @IsArray({ message: '图片须为地址数组' })
  @ArrayMaxSize(9, { message: '图片最多 9 张' })
  @IsUrl(HTTP_URL, { each: true, message: '图片须为图片地址' })
  @MaxLength(500, { each: true, message: '图片地址最多 500 个字符' })
  images?: string[];

  @ApiProperty({ description: '咨询类型名称（如 图文咨询）', example: '图文咨询' })
  @Trim()
  @IsNotEmpty({ message: '咨询类型不能为空' })
  @IsString({ message: '咨询类型必须是文本' })
  @MaxLength(50, { message: '咨询类型最多 50 字' })
  consult_name: string;

  @ApiProperty({ description: '咨询金额（元，最多两位小数），0 为免费', example: '0.00' })
  @ToAmountText()
  @IsNotEmpty({ message: '咨询金额不能为空' })
  @Matches(AMOUNT_PATTERN, { message: '咨询金额为 0 到 10000 元、最多两位小数' })
  consult_amount: string;
}

/** Operators: which 联空医问 doctor and service one of our doctors is. */
export class LinkDoctorDto {
  @ApiProperty({ description: '联空医问医生编号', example: 'LCD1001' })
  @Trim()
  @IsNotEmpty({ message: 'lc_doctor_id 不能为空' })
  @IsString({ message: 'lc_doctor_id 必须是文本' })
  @LcId('lc_doctor_id ')
  lc_doctor_id: string;

  @ApiProperty({ description: '联空医问服务编号（排班所属的服务）', example: 'S01' })
  @Trim()
  @IsNotEmpty({ message: 'lc_service_id 不能为空' })
  @IsString({ message: 'lc_service_id 必须是文本' })
  @LcId('lc_service_id ')
  lc_service_id: string;
}
