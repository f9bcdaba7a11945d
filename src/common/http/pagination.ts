import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ToInt } from './transforms';

/** `current_page` (default 1) and `page_size` (default 10, max 100), shared by every list route. */
export class PageQuery {
  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @IsOptional()
  @ToInt(1)
  @IsInt({ message: '页码必须是整数' })
  @Min(1, { message: '页码最小为 1' })
  @Max(100000, { message: '页码最大为 100000' })
  current_page: number = 1;

  @ApiPropertyOptional({ default: 10, minimum: 1, maximum: 100 })
  @IsOptional()
  @ToInt(10)
  @IsInt({ message: '每页数量必须是整数' })
  @Min(1, { message: '每页数量最小为 1' })
  @Max(100, { message: '每页数量最大为 100' })
  page_size: number = 10;

  get offset(): number {
    return (this.current_page - 1) * this.page_size;
  }
}

export interface PageInfo {
  current_page: number;
  total_page: number;
  count: number;
  page_size: number;
}

export interface Paged<T> {
  list: T[];
  page: PageInfo;
}

export function paged<T>(list: T[], count: number, query: PageQuery): Paged<T> {
  return {
    list,
    page: {
      current_page: query.current_page,
      total_page: Math.ceil(count / query.page_size),
      count,
      page_size: query.page_size,
    },
  };
}
