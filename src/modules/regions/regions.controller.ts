import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from 'src/common/auth/decorators';
import { AreaQuery, CityQuery } from './dto/region-query.dto';
import { RegionsService } from './regions.service';

@ApiTags('regions')
@Public()
@Controller()
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @Get('city')
  @ApiOperation({ summary: '1.2.5 城市列表：parent_id 的下级；不传为省级' })
  async cities(@Query() q: CityQuery) {
    return { list: await this.regions.children(q.parent_id) };
  }

  @Get('area/city')
  @ApiOperation({ summary: '1.2.6 城市下的区县（按城市名称）' })
  async areas(@Query() q: AreaQuery) {
    return { list: await this.regions.countiesOfCity(q.name) };
  }
}
