import { Body, Controller, Param, Put, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentOperator, Roles } from 'src/common/auth/decorators';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import type { Operator } from 'src/modules/admin/operator.entity';
import { ConsultSyncService } from './consult-sync.service';
import { LinkDoctorDto } from './dto/consult.dto';

/** Operator writes (DESIGN §9), audited by the service. */
@ApiTags('admin')
@Controller('admin/consult')
@Roles('admin')
export class ConsultAdminController {
  constructor(private readonly sync: ConsultSyncService) {}

  @Put('doctors/:id/link')
  @ApiOperation({
    summary: '把本平台医生关联到联空医问医生与服务（排班同步需要）；保存后即推送其出诊时间',
  })
  link(
    @CurrentOperator() operator: Operator,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: LinkDoctorDto,
    @Req() req: Request,
  ) {
    return this.sync.link(operator.id, id, dto, req.ip ?? '');
  }
}
