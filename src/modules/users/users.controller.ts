import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from 'src/common/auth/decorators';
import type { Principal } from 'src/common/auth/principal';
import { APP_ROLES } from 'src/common/auth/roles';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import { AuditReads } from 'src/modules/audit/read-audit.interceptor';
import type { User } from './user.entity';
import { idnoReads } from './user.view';
import { AssistantProfileDto, DoctorProfileDto, PatientProfileDto } from './dto/profile.dto';
import { ProfilesService } from './profiles.service';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiExtraModels(PatientProfileDto, DoctorProfileDto, AssistantProfileDto)
@Controller()
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly profiles: ProfilesService,
  ) {}

  @Get('user')
  @Roles(...APP_ROLES)
  @ApiOperation({ summary: '3.1.6 当前登录用户信息' })
  me(@CurrentPrincipal() principal: Principal & { user: User }) {
    return this.users.ownProfile(principal);
  }

  @Put('user')
  @Roles(...APP_ROLES)
  @ApiOperation({
    summary: '3.1.3 / 3.1.4 / 3.1.5 补全信息：按登录账号的类型（患者/医生/医助）取对应的请求体',
  })
  @ApiBody({
    schema: {
      oneOf: [PatientProfileDto, DoctorProfileDto, AssistantProfileDto].map((d) => ({
        $ref: getSchemaPath(d),
      })),
    },
  })
  // The body's shape depends on the caller's role, so the service validates it (an untyped body skips the global pipe).
  update(@CurrentPrincipal() principal: Principal & { user: User }, @Body() body: Record<string, unknown>) {
    return this.profiles.update(principal, body);
  }

  @Get('user/:id')
  @Roles(...APP_ROLES, 'admin')
  @AuditReads(idnoReads)
  @ApiOperation({ summary: '3.1.10 用户信息（根据 id）；他人的手机号和身份证号打码' })
  byId(@CurrentPrincipal() principal: Principal, @Param('id', ParseIdPipe) id: number) {
    return this.users.profileFor(principal, id);
  }
}
