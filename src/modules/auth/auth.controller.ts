import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Public } from 'src/common/auth/decorators';
import type { Principal } from 'src/common/auth/principal';
import { AuthThrottle } from 'src/common/rate-limit/auth-throttle';
import { AuthService } from './auth.service';
import { LoginDto, PhoneLoginDto, RegisterDto, ResetPasswordDto } from './dto/auth.dto';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @AuthThrottle()
  @Post('register')
  @ApiOperation({ summary: '3.1.1 注册（手机号字段为 phono，也接受 phone）' })
  register(@Body() dto: RegisterDto) {
    return this.auth.register(dto);
  }

  @Public()
  @AuthThrottle()
  @Post('login')
  @ApiOperation({ summary: '3.1.2 密码登录（phono/phone + pwd + type）' })
  login(@Body() dto: LoginDto) {
    return this.auth.login(dto);
  }

  @Public()
  @AuthThrottle()
  @Post('login/phone')
  @ApiOperation({ summary: '3.1.14 手机号验证码登录/注册（photo/phone + verify_code，可选 type，默认 1）' })
  loginByPhone(@Body() dto: PhoneLoginDto) {
    return this.auth.loginByPhone(dto);
  }

  @Public()
  @AuthThrottle()
  @Post('reset/pwd')
  @ApiOperation({ summary: '3.1.7 修改/找回密码；该账号所有登录失效' })
  async reset(@Body() dto: ResetPasswordDto) {
    await this.auth.resetPassword(dto);
    return {};
  }

  @Get('logout')
  @ApiOperation({ summary: '3.1.12 退出登录（当前 token 失效）' })
  async logout(@CurrentPrincipal() principal: Principal) {
    await this.auth.logout(principal.tokenId);
    return {};
  }
}
