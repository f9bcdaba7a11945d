import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/auth/decorators';
import type { User } from 'src/modules/users/user.entity';
import { AssistantPatientsService } from './assistant-patients.service';
import { AssistantsService } from './assistants.service';

/** Assistants as patients and doctors see them (masked: other people's phone and ID number). */
@ApiTags('assistants')
@Controller()
export class MyAssistantsController {
  constructor(
    private readonly patients: AssistantPatientsService,
    private readonly assistants: AssistantsService,
  ) {}

  @Get('custom/assistant')
  @Roles('patient')
  @ApiOperation({ summary: '3.3.16 我的医助：绑定了我的医助' })
  ofPatient(@CurrentUser() patient: User) {
    return this.patients.assistantsOf(patient);
  }

  @Get('doctor/assistant')
  @Roles('doctor')
  @ApiOperation({ summary: '3.2.1 我的医助：关注了我的医助' })
  ofDoctor(@CurrentUser() doctor: User) {
    return this.assistants.followersOf(doctor);
  }
}
