import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/auth/decorators';
import { PageQuery } from 'src/common/http/pagination';
import type { User } from 'src/modules/users/user.entity';
import { CreateOrderDto } from './dto/create-order.dto';
import { EvaluateOrderDto } from './dto/evaluate-order.dto';
import { LinkAccountDto } from './dto/link-account.dto';
import { PayOrderDto } from './dto/pay-order.dto';
import { DoctorParam, ListOrdersQuery } from './dto/qa-queries.dto';
import { ParseOrderNumberPipe } from './order-number.pipe';
import { QaService } from './qa.service';

const ORDER_NUMBER = { name: 'order_number', description: '肺轻松订单号（数字）' };

/** 肺轻松 paid Q&A for patients, through their own linked 肺轻松 account. */
@ApiTags('qa')
@Controller('qa')
@Roles('patient')
export class QaController {
  constructor(private readonly qa: QaService) {}

  @Post('account')
  @ApiOperation({
    summary:
      '绑定肺轻松账号：令牌经肺轻松验证后加密保存（重新绑定即替换）；每个肺轻松账号只能绑定一位患者；不返回令牌',
  })
  link(@CurrentUser() me: User, @Body() dto: LinkAccountDto) {
    return this.qa.link(me.id, dto);
  }

  @Get('account')
  @ApiOperation({ summary: '肺轻松账号绑定状态：是否已绑定、用户名、患者编号（不含令牌）' })
  status(@CurrentUser() me: User) {
    return this.qa.status(me.id);
  }

  @Delete('account')
  @ApiOperation({ summary: '解除肺轻松账号绑定（未绑定时同样成功）' })
  unlink(@CurrentUser() me: User) {
    return this.qa.unlink(me.id);
  }

  @Get('orders')
  @ApiOperation({ summary: '我的肺轻松问答订单，最新的在前；可按状态过滤（status 0–6）' })
  orders(@CurrentUser() me: User, @Query() q: ListOrdersQuery) {
    return this.qa.listOrders(me.id, q);
  }

  @Post('orders')
  @ApiOperation({ summary: '向肺轻松医生下问答订单（待支付）' })
  create(@CurrentUser() me: User, @Body() dto: CreateOrderDto) {
    return this.qa.createOrder(me.id, dto);
  }

  @Get('orders/qa')
  @ApiOperation({ summary: '我的待回答和已回答的问答订单，最新的在前' })
  qaOrders(@CurrentUser() me: User, @Query() q: PageQuery) {
    return this.qa.qaOrders(me.id, q);
  }

  @Get('orders/:order_number')
  @ApiParam(ORDER_NUMBER)
  @ApiOperation({ summary: '问答订单详情（仅限经本平台创建的本人订单）' })
  detail(@CurrentUser() me: User, @Param('order_number', ParseOrderNumberPipe) orderNumber: string) {
    return this.qa.detail(me.id, orderNumber);
  }

  @Get('orders/:order_number/qa')
  @ApiParam(ORDER_NUMBER)
  @ApiOperation({ summary: '问答订单的提问与医生回答（未提问、未回答时为 null）' })
  questionAndAnswer(
    @CurrentUser() me: User,
    @Param('order_number', ParseOrderNumberPipe) orderNumber: string,
  ) {
    return this.qa.questionAndAnswer(me.id, orderNumber);
  }

  @Post('orders/:order_number/pay')
  @ApiParam(ORDER_NUMBER)
  @ApiOperation({ summary: '支付问答订单：返回肺轻松的 Ping++ charge 对象，交给 App 的支付 SDK' })
  pay(
    @CurrentUser() me: User,
    @Param('order_number', ParseOrderNumberPipe) orderNumber: string,
    @Body() dto: PayOrderDto,
  ) {
    return this.qa.pay(me.id, orderNumber, dto);
  }

  @Post('orders/:order_number/cancel')
  @ApiParam(ORDER_NUMBER)
  @ApiOperation({ summary: '取消问答订单（仅待支付的订单）' })
  cancel(@CurrentUser() me: User, @Param('order_number', ParseOrderNumberPipe) orderNumber: string) {
    return this.qa.cancel(me.id, orderNumber);
  }

  @Post('orders/:order_number/finish')
  @ApiParam(ORDER_NUMBER)
  @ApiOperation({ summary: '结束问答咨询（仅医生已回答的订单）' })
  finish(@CurrentUser() me: User, @Param('order_number', ParseOrderNumberPipe) orderNumber: string) {
    return this.qa.finish(me.id, orderNumber);
  }

  @Post('orders/:order_number/evaluate')
  @ApiParam(ORDER_NUMBER)
  @ApiOperation({ summary: '评价问答订单的医生（仅待评价的订单）：评分 1–5 与评价内容' })
  evaluate(
    @CurrentUser() me: User,
    @Param('order_number', ParseOrderNumberPipe) orderNumber: string,
    @Body() dto: EvaluateOrderDto,
  ) {
    return this.qa.evaluate(me.id, orderNumber, dto);
  }

  @Delete('orders/:order_number')
  @ApiParam(ORDER_NUMBER)
  @ApiOperation({ summary: '删除问答订单' })
  destroy(@CurrentUser() me: User, @Param('order_number', ParseOrderNumberPipe) orderNumber: string) {
    return this.qa.destroy(me.id, orderNumber);
  }

  @Get('doctors/:username/evaluations')
  @ApiOperation({ summary: '肺轻松医生收到的评价，按肺轻松的顺序分页' })
  evaluations(@CurrentUser() me: User, @Param() p: DoctorParam, @Query() q: PageQuery) {
    return this.qa.doctorEvaluations(me.id, p.username, q);
  }

  @Get('inquiry-records')
  @ApiOperation({ summary: '我在肺轻松的问诊记录（订单号与时间）；绑定时须提供患者编号 patient_pk' })
  inquiryRecords(@CurrentUser() me: User, @Query() q: PageQuery) {
    return this.qa.inquiryRecords(me.id, q);
  }
}
