import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
} from 'class-validator';
import { HTTP_URL } from 'src/common/validation/fields';
import { ToArray, ToInt, Trim } from 'src/common/http/transforms';

const SLOT_LABEL = /^\d{2}:\d{2}:\d{2} - \d{2}:\d{2}:\d{2}$/;

/** 3.3.4 加入义诊: the casebook and the chosen slot. */
export class JoinProjectDto {
  @ApiProperty({ description: '病例信息' })
  @Trim()
  @IsNotEmpty({ message: '病例信息不能为空' })
  @IsString()
  @MaxLength(2000, { message: '病例信息最多 2000 字' })
  content: string;

  @ApiPropertyOptional({ type: [String], description: '病例图片，最多三张' })
  @IsOptional()
  @ToArray()
  @IsArray({ message: '图片须为数组' })
  @ArrayMaxSize(3, { message: '病例图片最多三张' })
  @IsUrl(HTTP_URL, { each: true, message: '病例图片须为图片地址' })
  photo?: string[];

  @ApiProperty({ example: '15:23:00 - 15:53:00', description: '所选时间段（见义诊的 plan_time）' })
  @Trim()
  @IsNotEmpty({ message: '请选择时间段' })
  @Matches(SLOT_LABEL, { message: '时间段格式为 "HH:mm:ss - HH:mm:ss"' })
  plan_time: string;
}

export class RejectDto {
  @ApiProperty()
  @Trim()
  @IsNotEmpty({ message: '拒绝原因不能为空' })
  @IsString()
  @MaxLength(200, { message: '拒绝原因最多 200 字' })
  reject_msg: string;
}

export class DiagnosisResultDto {
  @ApiProperty()
  @Trim()
  @IsNotEmpty({ message: '诊断结果不能为空' })
  @IsString()
  @MaxLength(5000)
  diag_result: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @ToArray()
  @IsArray({ message: '诊断照片须为数组' })
  @ArrayMaxSize(9, { message: '诊断照片最多 9 张' })
  @IsUrl(HTTP_URL, { each: true, message: '诊断照片须为图片地址' })
  diag_photo?: string[];
}

/** A rating from 1 to 5. */
const ScoreField = (name: string) =>
  applyDecorators(
    ApiProperty({ minimum: 1, maximum: 5 }),
    ToInt(),
    IsNotEmpty({ message: `${name}不能为空` }),
    IsIn([1, 2, 3, 4, 5], { message: `${name}须为 1 到 5 的整数` }),
  );

/** 3.2.12 医生对患者评论 */
export class DoctorCommentDto {
  @ScoreField('诚信分')
  patient_credit_score: number;

  @ScoreField('守时分')
  patient_punctuality_score: number;
}

/** 3.3.17 患者对医生评论 */
export class PatientCommentDto {
  @ScoreField('评分')
  doctor_score: number;

  @ApiProperty({ maxLength: 200 })
  @Trim()
  @IsNotEmpty({ message: '评论不能为空' })
  @IsString()
  @MaxLength(200, { message: '评论最多 200 字' })
  doctor_comment: string;
}
