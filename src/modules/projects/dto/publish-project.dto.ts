import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ToArray, ToInt, Trim } from 'src/common/http/transforms';

/** Coordinates and prices arrive as text ("116.397") or numbers. */
const ToNumber = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value,
  );

/** A time of day `HH:mm` or `HH:mm:ss`, normalised to `HH:mm:ss`. */
const ToClock = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{2}:\d{2}$/.test(value.trim()) ? `${value.trim()}:00` : value,
  );
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;

/** 3.2.3 发布义诊 */
export class PublishProjectDto {
  @ApiProperty({ example: '2026-12-01' })
  @Trim()
  @IsNotEmpty({ message: '义诊日期不能为空' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '义诊日期格式为 YYYY-MM-DD' })
  date: string;

  @ApiProperty({ example: '09:30:00' })
  @ToClock()
  @IsNotEmpty({ message: '开始时间不能为空' })
  @Matches(CLOCK, { message: '开始时间格式为 HH:mm:ss' })
  begin: string;

  @ApiProperty({ example: '11:00:00' })
  @ToClock()
  @IsNotEmpty({ message: '结束时间不能为空' })
  @Matches(CLOCK, { message: '结束时间格式为 HH:mm:ss' })
  end: string;

  @ApiProperty({ minimum: 1, maximum: 1000 })
  @ToInt()
  @IsNotEmpty({ message: '义诊人数不能为空' })
  @IsInt({ message: '义诊人数必须是整数' })
  @Min(1, { message: '义诊人数至少为 1' })
  @Max(1000, { message: '义诊人数最多为 1000' })
  people_count: number;

  @ApiProperty({ example: '116.397' })
  @ToNumber()
  @IsNotEmpty({ message: '经度不能为空' })
  @IsNumber({}, { message: '经度必须是数字' })
  @Min(-180, { message: '经度范围为 -180 到 180' })
  @Max(180, { message: '经度范围为 -180 到 180' })
  lng: number;

  @ApiProperty({ example: '39.909' })
  @ToNumber()
  @IsNotEmpty({ message: '纬度不能为空' })
  @IsNumber({}, { message: '纬度必须是数字' })
  @Min(-90, { message: '纬度范围为 -90 到 90' })
  @Max(90, { message: '纬度范围为 -90 到 90' })
  lat: number;

  @ApiProperty()
  @Trim()
  @IsNotEmpty({ message: '义诊地址不能为空' })
  @IsString()
  @MaxLength(200, { message: '义诊地址最多 200 字' })
  addr: string;

  @ApiProperty({ type: [String], example: ['老年人'] })
  @ToArray()
  @IsArray({ message: '服务对象须为数组' })
  @ArrayNotEmpty({ message: '请选择服务对象' })
  @ArrayMaxSize(20, { message: '服务对象最多 20 项' })
  @IsString({ each: true, message: '服务对象须为文字' })
  @Matches(/\S/, { each: true, message: '服务对象不能为空白' })
  @MaxLength(20, { each: true, message: '服务对象每项最多 20 字' })
  service_target: string[];

  @ApiProperty()
  @Trim()
  @IsNotEmpty({ message: '活动简介不能为空' })
  @IsString()
  @MaxLength(2000, { message: '活动简介最多 2000 字' })
  abstract: string;

  @ApiProperty({ description: '挂号押金（元），0 为免费', example: 0 })
  @ToNumber()
  @IsNotEmpty({ message: '挂号押金不能为空' })
  @IsNumber({ maxDecimalPlaces: 2 }, { message: '挂号押金为最多两位小数的金额' })
  @Min(0, { message: '挂号押金不能为负' })
  @Max(10000, { message: '挂号押金最多 10000 元' })
  price: number;
}
