import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ToInt, Trim } from 'src/common/http/transforms';

export class CityQuery {
  @ApiPropertyOptional({ description: '上级地区 id（GB/T 2260 六位代码）；不传时返回省级', example: 110000 })
  @IsOptional()
  @ToInt()
  @IsInt({ message: 'parent_id 必须是整数' })
  @Min(0)
  @Max(999999)
  parent_id: number = 0;
}

export class AreaQuery {
  @ApiProperty({ description: '城市名称（北京市 / 北京）' })
  @Trim()
  @IsNotEmpty({ message: '城市名称不能为空' })
  @IsString()
  @MaxLength(50)
  name: string;
}
