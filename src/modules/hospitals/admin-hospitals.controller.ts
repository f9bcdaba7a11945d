import { Body, Controller, Param, Post, Put, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentOperator, Roles } from 'src/common/auth/decorators';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import type { Operator } from 'src/modules/admin/operator.entity';
import { CreateHospitalDto, UpdateHospitalDto } from './dto/hospital.dto';
import { HospitalsService } from './hospitals.service';

/** Operator writes (DESIGN §9); each one is audited by the service. */
@ApiTags('admin')
@Controller('admin/hospitals')
@Roles('admin')
export class AdminHospitalsController {
  constructor(private readonly hospitals: HospitalsService) {}

  @Post()
  @ApiOperation({ summary: '新建医院（2.2.10 字段 + lng、lat）' })
  create(@CurrentOperator() operator: Operator, @Body() dto: CreateHospitalDto, @Req() req: Request) {
    return this.hospitals.create(operator.id, dto, req.ip ?? '');
  }

  @Put(':id')
  @ApiOperation({ summary: '修改医院（只改传入的字段）' })
  update(
    @CurrentOperator() operator: Operator,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: UpdateHospitalDto,
    @Req() req: Request,
  ) {
    return this.hospitals.update(operator.id, id, dto, req.ip ?? '');
  }
}
