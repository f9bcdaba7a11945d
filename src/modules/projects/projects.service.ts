import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from 'src/config/app-config';
import type { Principal } from 'src/common/auth/principal';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { isCalendarDate, zonedInstant } from 'src/common/time';
import { User, UserType, VerifyState } from 'src/modules/users/user.entity';
import { PublishProjectDto } from './dto/publish-project.dto';
import { ProjectViewsService } from './project-views.service';
import type { ProjectView } from './project.view';
import { ProjectSlot } from './project-slot.entity';
import { Project, ProjectState } from './project.entity';
import { splitSlots } from './slots';

/** Yuan as the apps send it → integer fen. */
export const toFen = (yuan: number): number => Math.round(yuan * 100);

@Injectable()
export class ProjectsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly views: ProjectViewsService,
  ) {}

  /** Publishes a clinic with its slots. Only a verified doctor with a completed profile may publish. */
  async publish(doctor: User, dto: PublishProjectDto): Promise<number> {
    if (
      doctor.type !== UserType.Doctor ||
      doctor.isVerify !== VerifyState.Active ||
      !doctor.realName ||
      !doctor.hospitalId
    ) {
      throw new AppException(ErrorCode.DOCTOR_NOT_READY);
    }
    if (!isCalendarDate(dto.date)) {
      throw new AppException(ErrorCode.VALIDATION_FAILED, '参数 date 不正确：不是有效日期', {
        field: 'date',
      });
    }
    const startsAt = zonedInstant(dto.date, dto.begin);
    const endsAt = zonedInstant(dto.date, dto.end);
    if (dto.begin >= dto.end || endsAt.getTime() <= Date.now())
      throw new AppException(ErrorCode.PROJECT_TIME_INVALID);
    const slots = splitSlots(dto.begin, dto.end, dto.people_count, this.config.SLOT_MINUTES);
    return this.db.transaction(async (m) => {
      const project = await m.save(
        m.create(Project, {
          doctorId: doctor.id,
          hospitalId: doctor.hospitalId,
          departments: doctor.departments,
          date: dto.date,
          begin: dto.begin,
          end: dto.end,
          startsAt,
          endsAt,
          peopleCount: dto.people_count,
          addr: dto.addr,
          lng: dto.lng.toFixed(6),
          lat: dto.lat.toFixed(6),
          abstract: dto.abstract,
          priceFen: toFen(dto.price),
          serviceTarget: dto.service_target,
        }),
      );
      await m.insert(
        ProjectSlot,
        slots.map((s) => ({
          projectId: project.id,
          idx: s.idx,
          begin: s.begin,
          end: s.end,
          capacity: s.capacity,
          remaining: s.capacity,
        })),
      );
      return project.id;
    });
  }

  /** One clinic as the caller sees it (2.2.8). */
  async detail(id: number, caller: Principal): Promise<ProjectView> {
    const project = await this.db.manager.findOne(Project, { where: { id } });
    if (!project) throw new AppException(ErrorCode.PROJECT_NOT_FOUND);
    const [view] = await this.views.views([project], caller);
    return view;
  }

  /** The project, locked for the rest of the transaction (`share` lets bookings proceed side by side). */
  async lock(m: EntityManager, id: number, mode: 'pessimistic_read' | 'pessimistic_write'): Promise<Project> {
    const project = await m.findOne(Project, { where: { id }, lock: { mode } });
    if (!project) throw new AppException(ErrorCode.PROJECT_NOT_FOUND);
    return project;
  }

  /** Whether bookings may still be made or kept: published and not over. */
  static isOpen(p: Project, now = Date.now()): boolean {
    return p.status === ProjectState.Published && p.endsAt.getTime() > now;
  }
}
