import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
} from 'class-validator';
import { ToInt, Trim } from 'src/common/http/transforms';
import { isCalendarDate, today } from 'src/common/time';

/** The longest schedule window one request may ask 91160 for, both ends included. */
export const MAX_SCHEDULE_DAYS = 14;

/** 91160's schedule and resource ids: short opaque text. */
const PARTNER_TEXT_ID = /^[\w-]{1,64}$/;

const PositiveInt = (field: string) =>
  applyDecorators(
    ToInt(),
    IsInt({ message: `${field} 必须是整数` }),
    Min(1, { message: `${field} 必须是正整数` }),
    Max(2_147_483_647, { message: `${field} 超出范围` }),
  );

const daysBetween = (a: string, b: string) =>
  (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;

const CalendarDate = (field: string) =>
  applyDecorators(
    IsNotEmpty({ message: `${field} 不能为空` }),
    IsString({ message: `${field} 格式为 YYYY-MM-DD` }),
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: `${field} 格式为 YYYY-MM-DD` }),
    ValidateBy({
      name: 'calendarDate',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && isCalendarDate(v),
        defaultMessage: () => `${field} 不是有效日期`,
      },
    }),
  );

/** Schedules of one doctor, from `begin_date` (today or later) to `end_date`, at most 14 days. */
export class ScheduleQuery {
  @ApiProperty({ example: '2030-01-01', description: '开始日期（不早于今天）' })
  @CalendarDate('begin_date')
  @ValidateBy({
    name: 'notPast',
    validator: {
      validate: (v: unknown) => typeof v !== 'string' || v >= today(),
      defaultMessage: () => 'begin_date 不能早于今天',
    },
  })
  begin_date: string;

  @ApiProperty({
    example: '2030-01-07',
    description: `结束日期（不早于开始日期，跨度最多 ${MAX_SCHEDULE_DAYS} 天）`,
  })
  @CalendarDate('end_date')
  @ValidateBy({
    name: 'scheduleWindow',
    validator: {
      validate: (v: unknown, args) => {
        const begin = (args?.object as ScheduleQuery).begin_date;
        if (typeof v !== 'string' || typeof begin !== 'string') return true;
        const days = daysBetween(begin, v);
        return days >= 0 && days < MAX_SCHEDULE_DAYS;
      },
      defaultMessage: () => `end_date 须不早于 begin_date，且跨度最多 ${MAX_SCHEDULE_DAYS} 天`,
    },
  })
  end_date: string;
}

/** Path of a schedule's resources: the department (ours) and 91160's schedule id. */
export class ScheduleParams {
  @ApiProperty()
  @PositiveInt('id')
  id: number;

  @ApiProperty({ description: '91160 排班 ID（scheduleId）' })
  @Matches(PARTNER_TEXT_ID, { message: 'schedule_id 格式不正确' })
  schedule_id: string;
}

/** Path of a doctor's schedules: the department (ours) and 91160's doctor id. */
export class DoctorParams {
  @ApiProperty()
  @PositiveInt('id')
  id: number;

  @ApiProperty({ description: '91160 医生 ID（doctorId）' })
  @PositiveInt('doctor_id')
  doctor_id: number;
}

/** Books one resource (号源) of a schedule; the patient is the caller, from their own profile. */
export class BookAppointmentDto {
  @ApiProperty({ description: '科室 id（本平台的，来自科室列表）' })
  @PositiveInt('department_id')
  department_id: number;

  @ApiProperty({ description: '91160 医生 ID（doctorId）' })
  @PositiveInt('doctor_id')
  doctor_id: number;

  @ApiProperty({ description: '91160 排班 ID（scheduleId）' })
  @IsString({ message: 'schedule_id 必须是文本' })
  @Matches(PARTNER_TEXT_ID, { message: 'schedule_id 格式不正确' })
  schedule_id: string;

  @ApiProperty({ description: '91160 号源 ID（detlId，号源列表的 detl_id）' })
  @IsString({ message: 'detl_id 必须是文本' })
  @Matches(PARTNER_TEXT_ID, { message: 'detl_id 格式不正确' })
  detl_id: string;

  @ApiPropertyOptional({ description: '该医院的门诊卡号（没有可不填）' })
  @IsOptional()
  @Trim()
  @IsString({ message: 'clinic_no 必须是文本' })
  @Matches(/^[\w-]{0,32}$/, { message: 'clinic_no 格式不正确' })
  clinic_no?: string;
}

export class CancelAppointmentDto {
  @ApiPropertyOptional({ maxLength: 50, description: '取消原因（默认“患者取消”）' })
  @IsOptional()
  @Trim()
  @IsString({ message: 'reason 必须是文本' })
  @MaxLength(50, { message: 'reason 最多 50 个字' })
  reason?: string;
}
