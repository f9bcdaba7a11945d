import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/auth/decorators';
import { PageQuery } from 'src/common/http/pagination';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import type { User } from 'src/modules/users/user.entity';
import { ConsultDirectoryService } from './consult-directory.service';
import { ConsultQuestionsService } from './consult-questions.service';
import { CreateQuestionDto } from './dto/consult.dto';
import { ParseLcIdPipe } from './lc-id.pipe';

/** Online questions to 联空医问 doctors (patients). */
@ApiTags('consult')
@Controller('consult')
@Roles('patient')
export class ConsultController {
  constructor(
    private readonly directory: ConsultDirectoryService,
    private readonly questions: ConsultQuestionsService,
  ) {}

  @Get('departments')
  @ApiOperation({ summary: '联空医问科室列表（dept_id、dept_name）' })
  departments() {
    return this.directory.departments();
  }

  @Get('departments/:dept_id/doctors')
  @ApiOperation({ summary: '联空医问某科室的医生（分页，按医生排序）' })
  doctors(@Param('dept_id', new ParseLcIdPipe()) deptId: string, @Query() q: PageQuery) {
    return this.directory.doctorsOf(deptId, q);
  }

  @Post('questions')
  @HttpCode(200)
  @ApiOperation({
    summary:
      '向联空医问医生提问：先保存（生成 order_id）再发送；发送失败时后台以同一 order_id 重试，delivery_status 为 pending',
  })
  ask(@CurrentUser() me: User, @Body() dto: CreateQuestionDto) {
    return this.questions.ask(me, dto);
  }

  @Get('questions')
  @ApiOperation({ summary: '我的提问（新的在前，分页）' })
  mine(@CurrentUser() me: User, @Query() q: PageQuery) {
    return this.questions.mine(me, q);
  }

  @Get('questions/:id')
  @ApiOperation({ summary: '我的一条提问及其送达状态' })
  one(@CurrentUser() me: User, @Param('id', ParseIdPipe) id: number) {
    return this.questions.one(me, id);
  }

  @Get('questions/:id/evaluation')
  @ApiOperation({ summary: '提问的评价（联空医问 lc.ask.get.evaluate）；尚无评价时 evaluation 为 null' })
  evaluation(@CurrentUser() me: User, @Param('id', ParseIdPipe) id: number) {
    return this.questions.evaluation(me, id);
  }
}
