import { ApiPropertyOptional } from '@nestjs/swagger';
import { IdFilter } from 'src/modules/hospitals/dto/directory.fields';

/** 3.3.19: a hospital's or organisation's homepage when given (both: what is placed on both). */
export class HomepageQuery {
  @ApiPropertyOptional({ description: '医院 id：获取该医院的首页数据' })
  @IdFilter()
  hospital_id?: number;

  @ApiPropertyOptional({ description: '组织 id：获取该组织的首页数据' })
  @IdFilter()
  org_id?: number;
}
