import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from 'src/common/auth/decorators';
import { PartnerMetrics } from './partner-metrics';

@ApiTags('admin')
@Controller('admin/partners')
export class PartnersController {
  constructor(private readonly metrics: PartnerMetrics) {}

  @Get()
  @Roles('admin')
  @ApiOperation({
    summary: '合作方接口状态：每个合作方的调用数、失败数（按类型）、重试数、熔断状态、延迟（本实例）',
  })
  list() {
    return { list: this.metrics.snapshot() };
  }
}
