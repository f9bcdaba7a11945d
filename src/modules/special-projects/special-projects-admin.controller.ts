import { Body, Controller, Delete, Get, Ip, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentOperator, Roles } from 'src/common/auth/decorators';
import { PageQuery } from 'src/common/http/pagination';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import type { Operator } from 'src/modules/admin/operator.entity';
import {
  AttachProjectDto,
  CreateSpecialProjectDto,
  UpdateSpecialProjectDto,
} from './dto/special-project.dto';
import { SpecialProjectsAdminService } from './special-projects-admin.service';

@ApiTags('admin')
@Roles('admin')
@Controller('admin/sp_projects')
export class SpecialProjectsAdminController {
  constructor(private readonly specialProjects: SpecialProjectsAdminService) {}

  @Get()
  @ApiOperation({ summary: '专题活动列表（含已下架的；分页）' })
  list(@Query() q: PageQuery) {
    return this.specialProjects.list(q);
  }

  @Post()
  @ApiOperation({
    summary:
      '新建专题活动：date、begin、end、people_count、addr、lng、lat、abstract、photo、price、service_target、hospital_id/org_id',
  })
  create(@CurrentOperator() operator: Operator, @Body() dto: CreateSpecialProjectDto, @Ip() ip: string) {
    return this.specialProjects.create(operator.id, dto, ip);
  }

  @Put(':id')
  @ApiOperation({
    summary: '修改专题活动：只改传入的字段；status 0 下架 1 发布；hospital_id/org_id 传 0 取消',
  })
  update(
    @CurrentOperator() operator: Operator,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: UpdateSpecialProjectDto,
    @Ip() ip: string,
  ) {
    return this.specialProjects.update(operator.id, id, dto, ip);
  }

  @Post(':id/projects')
  @ApiOperation({ summary: '把义诊加入专题活动（project_id；重复加入不报错）' })
  attach(
    @CurrentOperator() operator: Operator,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: AttachProjectDto,
    @Ip() ip: string,
  ) {
    return this.specialProjects.attach(operator.id, id, dto.project_id, ip);
  }

  @Delete(':id/projects/:project_id')
  @ApiOperation({ summary: '把义诊移出专题活动（未加入的不报错）' })
  detach(
    @CurrentOperator() operator: Operator,
    @Param('id', ParseIdPipe) id: number,
    @Param('project_id', ParseIdPipe) projectId: number,
    @Ip() ip: string,
  ) {
    return this.specialProjects.detach(operator.id, id, projectId, ip);
  }
}
