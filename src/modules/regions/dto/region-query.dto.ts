import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ToInt, Trim } from 'src/common/http/transforms';

export class CityQuery {
  @ApiPropertyOptional({ description: '上级地区 id（GB/T 2260 六位代码）；不传时返回省级', example: 110000 })
  @IsOptional()
  // `?parent_id=` (no value) means "not given" (seed: 不传值时取省级), not a malformed integer.
  @Transform(({ value }: { value: unknown }) => (value === '' ? 0 : value))
  @ToInt()
  @IsInt({ message: 'parent_id 必须是整数' })
  @Min(0, { message: 'parent_id 必须是六位地区代码' })
  @Max(999999, { message: 'parent_id 必须是六位地区代码' })
  parent_id: number = 0;
}

export class AreaQuery {
  @ApiProperty({ description: '城市名称（北京市 / 北京）' })
  @Trim()
  @IsNotEmpty({ message: '城市名称不能为空' })
  @IsString({ message: '城市名称必须是文本' })
  @MaxLength(50, { message: '城市名称最长 50 个字符' })
  name: string;
}
