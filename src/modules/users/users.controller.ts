import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from 'src/common/auth/decorators';
import type { Principal } from 'src/common/auth/principal';
import { APP_ROLES } from 'src/common/auth/roles';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import type { User } from './user.entity';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('user')
  @Roles(...APP_ROLES)
  @ApiOperation({ summary: '3.1.6 当前登录用户信息' })
  me(@CurrentPrincipal() principal: Principal & { user: User }) {
    return this.users.ownProfile(principal);
  }

  @Get('user/:id')
  @Roles(...APP_ROLES, 'admin')
  @ApiOperation({ summary: '3.1.10 用户信息（根据 id）；他人的手机号和身份证号打码' })
  byId(@CurrentPrincipal() principal: Principal, @Param('id', ParseIdPipe) id: number) {
    return this.users.profileFor(principal, id);
  }
}
