import { Injectable, Type } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from 'src/common/auth/principal';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { createValidationPipe } from 'src/common/http/validation';
import { parseResidentId } from 'src/common/validation/resident-id';
import { Hospital } from 'src/modules/hospitals/hospital.entity';
import { RegionsService } from 'src/modules/regions/regions.service';
import { AssistantProfileDto, BaseProfileDto, DoctorProfileDto, PatientProfileDto } from './dto/profile.dto';
import { UserViewsService } from './user-views.service';
import { User, UserType, VerifyState } from './user.entity';
import { UserView } from './user.view';

const BODY_OF: Record<UserType, Type<BaseProfileDto>> = {
  [UserType.Patient]: PatientProfileDto,
  [UserType.Doctor]: DoctorProfileDto,
  [UserType.Assistant]: AssistantProfileDto,
};

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** `PUT /user`: one route, the body of the caller's role (3.1.3 patient, 3.1.4 doctor, 3.1.5 assistant). */
@Injectable()
export class ProfilesService {
  private readonly pipe = createValidationPipe();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly regions: RegionsService,
    private readonly views: UserViewsService,
  ) {}

  async update(principal: Principal & { user: User }, body: unknown): Promise<UserView> {
    const type = principal.user.type;
    const dto = (await this.pipe.transform(body ?? {}, {
      type: 'body',
      metatype: BODY_OF[type],
    })) as BaseProfileDto;
    const idInfo = parseResidentId(dto.idno)!; // the DTO already rejected invalid numbers
    // Sending any of the three ids replaces the whole place; sending none keeps the current one.
    const givesPlace = [dto.province_id, dto.city_id, dto.county_id].some((v) => v !== undefined);
    const place = givesPlace
      ? await this.regions.resolveAddress({
          provinceId: dto.province_id,
          cityId: dto.city_id,
          countyId: dto.county_id,
        })
      : principal.user.address;

    return this.db.transaction(async (m) => {
      const user = await m.findOneOrFail(User, {
        where: { id: principal.user.id },
        lock: { mode: 'pessimistic_write' },
      });
      user.realName = dto.real_name;
      user.idno = dto.idno;
      user.sex = idInfo.sex;
      user.birthday = idInfo.birthday;
      // Optional fields sent as null keep their value, as absent ones do (the columns hold '' for "none").
      user.avatars = dto.avatars ?? user.avatars;
      user.email = dto.email ?? user.email;
      user.address = { ...place, addr: dto.addr ?? user.address.addr };
      if (dto instanceof PatientProfileDto) this.applyPatient(user, dto);
      if (dto instanceof DoctorProfileDto) await this.applyDoctor(m, user, dto);
      if (dto instanceof AssistantProfileDto) user.teamName = dto.team_name;
      await m.save(user);
      const saved = await m.findOneOrFail(User, { where: { id: user.id }, relations: { hospital: true } });
      return this.views.view(saved, { reveal: true, token: principal.token });
    });
  }

  private applyPatient(user: User, dto: PatientProfileDto): void {
    user.height = dto.height;
    user.weight = dto.weight;
    user.maritalStatus = dto.marital_status;
    user.drinkStatus = dto.drink_status;
    user.smokingStatus = dto.smoking_status;
  }

  /** A verified doctor who changes credentials (hospital, department, title, proof) goes back for approval. */
  private async applyDoctor(m: EntityManager, user: User, dto: DoctorProfileDto): Promise<void> {
    if (!(await m.existsBy(Hospital, { id: dto.hospital_id }))) {
      throw new AppException(ErrorCode.LINKED_HOSPITAL_NOT_FOUND, '所选医院不存在', { field: 'hospital_id' });
    }
    const credentialsChanged =
      user.hospitalId !== dto.hospital_id ||
      user.departments !== dto.departments ||
      user.jobPosition !== dto.job_position ||
      !sameList(user.workPhoto ?? [], dto.work_photo);
    if (credentialsChanged && user.isVerify === VerifyState.Active) user.isVerify = VerifyState.Pending;
    user.hospitalId = dto.hospital_id;
    user.hospital = undefined;
    user.departments = dto.departments;
    user.jobPosition = dto.job_position;
    user.goodAt = dto.good_at;
    user.workPhoto = dto.work_photo;
    if (dto.abstract !== undefined) user.abstract = dto.abstract;
    if (dto.work_time !== undefined) {
      user.workTime = dto.work_time.map((d) => ({
        morning: Number(d.morning),
        afternoon: Number(d.afternoon),
      }));
    }
  }
}
