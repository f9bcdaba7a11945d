import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from 'src/common/auth/decorators';
import { APP_ROLES } from 'src/common/auth/roles';
import { PageQuery } from 'src/common/http/pagination';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import { NewsTypeParam } from './dto/news.dto';
import { NewsService } from './news.service';

/** `/news/{type}/list` has two segments and `/news/{id}` one, so the two never match the same path. */
@ApiTags('news')
@Roles(...APP_ROLES, 'admin')
@Controller('news')
export class NewsController {
  constructor(private readonly news: NewsService) {}

  @Get(':type/list')
  @ApiOperation({ summary: '3.2.14 公告列表：type 1患者端 2医生端 3医助端；已发布的，新的在前' })
  list(@Param() p: NewsTypeParam, @Query() q: PageQuery) {
    return this.news.list(p.type, q);
  }

  @Get(':id')
  @ApiOperation({ summary: '3.2.15 公告详情（未到发布时间的视为不存在）' })
  detail(@Param('id', ParseIdPipe) id: number) {
    return this.news.detail(id);
  }
}
