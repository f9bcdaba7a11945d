import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** The lists of free clinics (3.3.2 `/project`, 3.2.4 `/doctor/project`, 3.3.11 `/custom/doctor/{id}/project`). */
@ApiTags('projects')
@Controller()
export class ProjectListsController {}
