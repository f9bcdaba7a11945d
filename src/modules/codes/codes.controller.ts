import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from 'src/common/auth/decorators';
import { RawResponse } from 'src/common/http/envelope.interceptor';
import { AuthThrottle } from 'src/common/rate-limit/auth-throttle';
import { AppConfig } from 'src/config/app-config';
import { CaptchaService } from './captcha.service';
import { SendCaptchaCodeDto, SendPhoneCodeDto } from './dto/send-code.dto';
import { SmsCodeService } from './sms-code.service';

export const CAPTCHA_COOKIE = 'captcha_id';

@ApiTags('codes')
@Public()
@Controller()
export class CodesController {
  constructor(
    private readonly captcha: CaptchaService,
    private readonly sms: SmsCodeService,
    private readonly config: AppConfig,
  ) {}

  @Get('captcha/app')
  @AuthThrottle()
  @ApiOperation({ summary: '1.2.3 图形验证码：SVG 图片，并以 HttpOnly Cookie 绑定' })
  @ApiProduces('image/svg+xml')
  async image(@Res({ passthrough: true }) res: Response): Promise<RawResponse> {
    const { id, svg } = await this.captcha.create();
    res.cookie(CAPTCHA_COOKIE, id, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.NODE_ENV === 'production',
      maxAge: this.config.CAPTCHA_TTL_SECONDS * 1000,
      path: '/',
    });
    res.setHeader('Cache-Control', 'no-store');
    res.type('image/svg+xml');
    return new RawResponse(svg);
  }

  @Post('verifycode')
  @ApiOperation({ summary: '1.2.4 发送短信验证码（需图形验证码及其 Cookie）' })
  async sendWithCaptcha(@Body() dto: SendCaptchaCodeDto, @Req() req: Request) {
    await this.captcha.verify(
      (req.cookies as Record<string, string | undefined>)?.[CAPTCHA_COOKIE],
      dto.captcha_code,
    );
    await this.sms.send(dto.phone, req.ip ?? '', 'captcha');
    return {};
  }

  @Post('phone/verifycode')
  @ApiOperation({ summary: '3.1.11 发送短信验证码（无图形验证码，限频更严）' })
  async send(@Body() dto: SendPhoneCodeDto, @Req() req: Request) {
    await this.sms.send(dto.phone, req.ip ?? '', 'direct');
    return {};
  }
}
