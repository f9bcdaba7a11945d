import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  registerDecorator,
} from 'class-validator';
import { HTTP_URL } from 'src/common/validation/fields';
import { ToArray, ToInt, Trim } from 'src/common/http/transforms';
import { IsResidentId } from 'src/common/validation/resident-id';
import type { WorkTimeSlot } from '../user.entity';

/** Height and weight arrive as text ("172") or numbers; kept as the seed's strings. */
const ToText = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : value,
  );
const BODY_MEASURE = /^\d{1,3}(\.\d{1,2})?$/;
/** Region ids are six-digit GB/T 2260 codes; a larger number is no region (and no database integer). */
const REGION_ID_MAX = 999_999;

/** `work_time`: seven days (Monday first) of `{morning, afternoon}`, each 0 or 1; also accepted as a JSON string. */
function IsWorkTime(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isWorkTime',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '出诊时间须为 7 天的 {morning, afternoon} 数组，取值 0 或 1' },
      validator: {
        validate: (value: unknown) =>
          Array.isArray(value) &&
          value.length === 7 &&
          value.every(
            (d: unknown) =>
              typeof d === 'object' &&
              d !== null &&
              [0, 1].includes(Number((d as WorkTimeSlot).morning)) &&
              [0, 1].includes(Number((d as WorkTimeSlot).afternoon)),
          ),
      },
    });
}

/** Fields every role's profile shares (3.1.3 / 3.1.4 / 3.1.5). */
export class BaseProfileDto {
  @ApiPropertyOptional({ description: '头像 URL' })
  @IsOptional()
  @Trim()
  @ValidateIf((o: BaseProfileDto) => o.avatars !== '')
  @IsUrl(HTTP_URL, { message: '头像须为图片地址' })
  @MaxLength(500)
  avatars?: string;

  @ApiProperty({ description: '真实姓名' })
  @Trim()
  @IsNotEmpty({ message: '真实姓名不能为空' })
  @IsString()
  @MaxLength(50, { message: '真实姓名最多 50 个字' })
  real_name: string;

  @ApiProperty({ description: '18 位身份证号（校验码按 GB 11643）' })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toUpperCase() : value,
  )
  @IsNotEmpty({ message: '身份证号不能为空' })
  @IsResidentId()
  idno: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Trim()
  @ValidateIf((o: BaseProfileDto) => o.email !== '')
  @IsEmail({}, { message: '邮箱格式不正确' })
  @MaxLength(100)
  email?: string;

  @ApiPropertyOptional({ description: '省份 id（GB/T 2260）', example: 110000 })
  @IsOptional()
  @ToInt()
  @IsInt({ message: '省份 id 必须是整数' })
  @Min(1)
  @Max(REGION_ID_MAX, { message: '省份 id 不正确' })
  province_id?: number;

  @ApiPropertyOptional({ example: 110100 })
  @IsOptional()
  @ToInt()
  @IsInt({ message: '城市 id 必须是整数' })
  @Min(1)
  @Max(REGION_ID_MAX, { message: '城市 id 不正确' })
  city_id?: number;

  @ApiPropertyOptional({ example: 110105 })
  @IsOptional()
  @ToInt()
  @IsInt({ message: '区县 id 必须是整数' })
  @Min(1)
  @Max(REGION_ID_MAX, { message: '区县 id 不正确' })
  county_id?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(200, { message: '详细地址最多 200 个字' })
  addr?: string;
}

/** 3.1.3 患者补全信息 */
export class PatientProfileDto extends BaseProfileDto {
  @ApiProperty({ example: '172' })
  @ToText()
  @IsNotEmpty({ message: '身高不能为空' })
  @Matches(BODY_MEASURE, { message: '身高须为数字' })
  height: string;

  @ApiProperty({ example: '65' })
  @ToText()
  @IsNotEmpty({ message: '体重不能为空' })
  @Matches(BODY_MEASURE, { message: '体重须为数字' })
  weight: string;

  @ApiProperty({ enum: [0, 1, 2, 3], description: '0未婚 1已婚 2离异 3丧偶' })
  @ToInt()
  @IsNotEmpty({ message: '婚姻状况不能为空' })
  @IsIn([0, 1, 2, 3], { message: '婚姻状况只能是 0、1、2、3' })
  marital_status: number;

  @ApiProperty({ enum: [0, 1] })
  @ToInt()
  @IsNotEmpty({ message: '是否饮酒不能为空' })
  @IsIn([0, 1], { message: '是否饮酒只能是 0 或 1' })
  drink_status: number;

  @ApiProperty({ enum: [0, 1] })
  @ToInt()
  @IsNotEmpty({ message: '是否抽烟不能为空' })
  @IsIn([0, 1], { message: '是否抽烟只能是 0 或 1' })
  smoking_status: number;
}

/** 3.1.4 医生补全信息 */
export class DoctorProfileDto extends BaseProfileDto {
  @ApiProperty({ description: '医院 id' })
  @ToInt()
  @IsNotEmpty({ message: '医院不能为空' })
  @IsInt({ message: '医院 id 必须是整数' })
  @Min(1, { message: '医院 id 必须是正整数' })
  hospital_id: number;

  @ApiProperty({ example: '内科' })
  @Trim()
  @IsNotEmpty({ message: '科室不能为空' })
  @IsString()
  @MaxLength(50)
  departments: string;

  @ApiProperty({ example: '主任医师' })
  @Trim()
  @IsNotEmpty({ message: '职称不能为空' })
  @IsString()
  @MaxLength(50)
  job_position: string;

  @ApiProperty({ example: '高血压' })
  @Trim()
  @IsNotEmpty({ message: '擅长不能为空' })
  @IsString()
  @MaxLength(500)
  good_at: string;

  @ApiProperty({ type: [String], description: '工作证明材料图片（JSON 数组、a[]= 或数组的 JSON 字符串）' })
  @ToArray()
  @IsArray({ message: '工作证明材料须为图片地址数组' })
  @ArrayNotEmpty({ message: '请上传工作证明材料' })
  @ArrayMaxSize(9, { message: '工作证明材料最多 9 张' })
  @IsUrl(HTTP_URL, { each: true, message: '工作证明材料须为图片地址' })
  work_photo: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(2000)
  abstract?: string;

  @ApiPropertyOptional({ description: '7 天的 {morning, afternoon}（JSON 字符串或数组）' })
  @IsOptional()
  @ToArray()
  @IsWorkTime()
  work_time?: WorkTimeSlot[];
}

/** 3.1.5 医助补全信息 */
export class AssistantProfileDto extends BaseProfileDto {
  @ApiProperty({ description: '志愿团队' })
  @Trim()
  @IsNotEmpty({ message: '团队名称不能为空' })
  @IsString()
  @MaxLength(100)
  team_name: string;
}
