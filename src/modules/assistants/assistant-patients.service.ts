import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { hashPassword } from 'src/common/crypto/hashing';
import { phoneHash } from 'src/common/crypto/personal-data';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { Paged, paged } from 'src/common/http/pagination';
import { parseResidentId } from 'src/common/validation/resident-id';
import { SmsCodeService } from 'src/modules/codes/sms-code.service';
import { RegionsService } from 'src/modules/regions/regions.service';
import { accountKeyword } from 'src/modules/users/account-keyword';
import { User, UserType, VerifyState } from 'src/modules/users/user.entity';
import { UserViewsService } from 'src/modules/users/user-views.service';
import type { UserView } from 'src/modules/users/user.view';
import { AssistantPatient } from './assistant-patient.entity';
import { BindPatientDto, CreatePatientDto, PatientSearchQuery } from './dto/assistant.dto';

/**
 * An assistant's bound patients (DESIGN §2): binding an existing account with the patient's SMS code, creating
 * one, listing them, and the "is this my patient" checks the other assistant routes rely on. A bound patient's
 * phone and ID number are shown to the assistant in full.
 */
@Injectable()
export class AssistantPatientsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly codes: SmsCodeService,
    private readonly regions: RegionsService,
    private readonly users: UserViewsService,
  ) {}

  /** 3.4.3: binds the patient account of `phone`; binding again changes nothing. */
  async bind(assistant: User, dto: BindPatientDto): Promise<void> {
    // The code first (as registration does): only someone holding the patient's phone learns whether it has an
    // account, and a failure below rolls the consumption back, so the code stays usable.
    const codeId = await this.codes.check(dto.phone, dto.verify_code);
    await this.db.transaction(async (m) => {
      await this.codes.consume(m, codeId);
      const patient = await m.findOne(User, {
        select: { id: true },
        where: { phoneHash: phoneHash(dto.phone), type: UserType.Patient },
      });
      if (!patient) throw new AppException(ErrorCode.ACCOUNT_NOT_FOUND, '该手机号没有患者账号，请新建病人');
      await this.link(m, assistant.id, patient.id);
    });
  }

  /** 3.4.4: a complete patient account (sex and birthday from the ID number), bound to the assistant. */
  async create(assistant: User, dto: CreatePatientDto): Promise<void> {
    // Checked before the slow password hash; the unique (phone, type) constraint settles a race below.
    if (await this.db.manager.existsBy(User, { phoneHash: phoneHash(dto.phone), type: UserType.Patient })) {
      throw new AppException(ErrorCode.PATIENT_ALREADY_REGISTERED);
    }
    const idInfo = parseResidentId(dto.idno)!; // the DTO already rejected invalid numbers
    const place = await this.regions.resolveAddress({
      provinceId: dto.province_id,
      cityId: dto.city_id,
      countyId: dto.county_id,
    });
    const passwordHash = await hashPassword(dto.pwd);
    await this.db.transaction(async (m) => {
      const inserted = await m
        .createQueryBuilder()
        .insert()
        .into(User)
        .values({
          type: UserType.Patient,
          phone: dto.phone,
          passwordHash,
          isVerify: VerifyState.Active,
          realName: dto.real_name,
          idno: dto.idno,
          sex: idInfo.sex,
          birthday: idInfo.birthday,
          avatars: dto.avatars ?? '',
          email: dto.email ?? '',
          address: { ...place, addr: dto.addr ?? '' },
          height: dto.height,
          weight: dto.weight,
          maritalStatus: dto.marital_status,
          drinkStatus: dto.drink_status,
          smokingStatus: dto.smoking_status,
        })
        .orIgnore()
        .returning(['id'])
        .updateEntity(false)
        .execute();
      const row = (inserted.raw as { id: number }[])[0];
      if (!row) throw new AppException(ErrorCode.PATIENT_ALREADY_REGISTERED);
      await this.link(m, assistant.id, row.id);
    });
  }

  /** 3.4.5: the assistant's patients, most recently bound first, `keyword` in the name or the phone number. */
  async list(assistant: User, q: PatientSearchQuery): Promise<Paged<UserView>> {
    const qb = this.db.manager
      .createQueryBuilder(User, 'u')
      .innerJoin(AssistantPatient, 'ap', 'ap.patient_id = u.id AND ap.assistant_id = :assistantId', {
        assistantId: assistant.id,
      })
      .orderBy('ap.created_at', 'DESC')
      .addOrderBy('u.id', 'DESC');
    if (q.keyword) qb.andWhere(accountKeyword(q.keyword));
    // Every join is to-one, so plain OFFSET/LIMIT pages by patient.
    const [patients, count] = await qb.offset(q.offset).limit(q.page_size).getManyAndCount();
    return paged(await this.users.views(patients, () => true), count, q);
  }

  /** The patient, when bound to the assistant; anyone else (or no one) is the same "not your patient". */
  async boundPatient(assistantId: number, patientId: number): Promise<User> {
    const patient = await this.db.manager
      .createQueryBuilder(User, 'u')
      .innerJoin(AssistantPatient, 'ap', 'ap.patient_id = u.id AND ap.assistant_id = :assistantId', {
        assistantId,
      })
      .where('u.id = :patientId', { patientId })
      .getOne();
    if (!patient) throw new AppException(ErrorCode.PATIENT_NOT_BOUND);
    return patient;
  }

  isBound(assistantId: number, patientId: number): Promise<boolean> {
    return this.db.manager.existsBy(AssistantPatient, { assistantId, patientId });
  }

  /** Which patients of the assistant's bookings in the clinic are bound to them: one query, whatever the page. */
  async boundInClinic(assistantId: number, projectId: number): Promise<Set<number>> {
    const rows = await this.db.manager
      .createQueryBuilder(AssistantPatient, 'ap')
      .select('ap.patient_id', 'patient_id')
      .where('ap.assistant_id = :assistantId', { assistantId })
      .andWhere(
        `ap.patient_id IN (SELECT d.user_id FROM diagnosis d
                           WHERE d.project_id = :projectId AND d.assistant_user_id = :assistantId)`,
        { projectId },
      )
      .getRawMany<{ patient_id: number }>();
    return new Set(rows.map((r) => r.patient_id));
  }

  /** 3.3.16: the patient's assistants, most recently bound first; other people, so masked. */
  async assistantsOf(patient: User): Promise<{ list: UserView[] }> {
    const assistants = await this.db.manager
      .createQueryBuilder(User, 'u')
      .innerJoin(AssistantPatient, 'ap', 'ap.assistant_id = u.id AND ap.patient_id = :patientId', {
        patientId: patient.id,
      })
      .orderBy('ap.created_at', 'DESC')
      .addOrderBy('u.id', 'DESC')
      .getMany();
    return { list: await this.users.views(assistants, () => false) };
  }

  /** ON CONFLICT DO NOTHING: binding twice (or twice at once) keeps the one row and its date. */
  private async link(m: EntityManager, assistantId: number, patientId: number): Promise<void> {
    await m
      .createQueryBuilder()
      .insert()
      .into(AssistantPatient)
      .values({ assistantId, patientId })
      .orIgnore()
      .updateEntity(false)
      .execute();
  }
}
