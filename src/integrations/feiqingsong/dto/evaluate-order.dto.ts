import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min } from 'class-validator';
import { ToInt, Trim } from 'src/common/http/transforms';

/** 订单评价 */
export class EvaluateOrderDto {
  @ApiProperty({ minimum: 1, maximum: 5, description: '评分：1 到 5 星' })
  @ToInt()
  @IsInt({ message: 'scores 必须是整数' })
  @Min(1, { message: 'scores 最小为 1' })
  @Max(5, { message: 'scores 最大为 5' })
  scores: number;

  @ApiProperty({ maxLength: 500, description: '评价内容' })
  @Trim()
  @IsNotEmpty({ message: '评价内容不能为空' })
  @IsString({ message: '评价内容必须是文本' })
  @MaxLength(500, { message: '评价内容最多 500 字' })
  content: string;
}
