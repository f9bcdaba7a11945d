import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Captcha } from './captcha.entity';
import { CaptchaService } from './captcha.service';
import { CodesController } from './codes.controller';
import { SmsCode } from './sms-code.entity';
import { SmsCodeService } from './sms-code.service';

@Module({
  imports: [TypeOrmModule.forFeature([Captcha, SmsCode])],
  controllers: [CodesController],
  providers: [CaptchaService, SmsCodeService],
  exports: [SmsCodeService],
})
export class CodesModule {}
