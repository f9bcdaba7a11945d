import { Body, Controller, Get, Ip, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentOperator, Roles } from 'src/common/auth/decorators';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import type { Operator } from 'src/modules/admin/operator.entity';
import { AdminNewsQuery, CreateNewsDto, UpdateNewsDto } from './dto/news.dto';
import { NewsAdminService } from './news-admin.service';

@ApiTags('admin')
@Roles('admin')
@Controller('admin/news')
export class NewsAdminController {
  constructor(private readonly news: NewsAdminService) {}

  @Get()
  @ApiOperation({ summary: '公告列表（含未到发布时间的；type 筛选，分页）' })
  list(@Query() q: AdminNewsQuery) {
    return this.news.list(q);
  }

  @Post()
  @ApiOperation({
    summary: '发布公告：type、title、photo、content、publish_time（默认现在）、hospital_id/org_id',
  })
  create(@CurrentOperator() operator: Operator, @Body() dto: CreateNewsDto, @Ip() ip: string) {
    return this.news.create(operator.id, dto, ip);
  }

  @Put(':id')
  @ApiOperation({ summary: '修改公告：只改传入的字段；hospital_id/org_id 传 0 取消' })
  update(
    @CurrentOperator() operator: Operator,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: UpdateNewsDto,
    @Ip() ip: string,
  ) {
    return this.news.update(operator.id, id, dto, ip);
  }
}
