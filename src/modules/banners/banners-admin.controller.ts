import { Body, Controller, Delete, Get, Ip, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentOperator, Roles } from 'src/common/auth/decorators';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import type { Operator } from 'src/modules/admin/operator.entity';
import { BannersAdminService } from './banners-admin.service';
import { AdminBannersQuery, CreateBannerDto, UpdateBannerDto } from './dto/banner.dto';

@ApiTags('admin')
@Roles('admin')
@Controller('admin/banners')
export class BannersAdminController {
  constructor(private readonly banners: BannersAdminService) {}

  @Get()
  @ApiOperation({ summary: '广告列表（app_type 筛选，分页；按 sort 排序）' })
  list(@Query() q: AdminBannersQuery) {
    return this.banners.list(q);
  }

  @Post()
  @ApiOperation({
    summary: '新建广告：app_type、title、photo、jump_mode、jump_id、href、hospital_id/org_id、sort',
  })
  create(@CurrentOperator() operator: Operator, @Body() dto: CreateBannerDto, @Ip() ip: string) {
    return this.banners.create(operator.id, dto, ip);
  }

  @Put(':id')
  @ApiOperation({ summary: '修改广告：只改传入的字段；hospital_id/org_id 传 0 取消' })
  update(
    @CurrentOperator() operator: Operator,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: UpdateBannerDto,
    @Ip() ip: string,
  ) {
    return this.banners.update(operator.id, id, dto, ip);
  }

  @Delete(':id')
  @ApiOperation({ summary: '删除广告' })
  remove(@CurrentOperator() operator: Operator, @Param('id', ParseIdPipe) id: number, @Ip() ip: string) {
    return this.banners.remove(operator.id, id, ip);
  }
}
