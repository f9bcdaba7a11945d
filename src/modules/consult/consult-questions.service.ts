import { randomInt } from 'node:crypto';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { PageQuery, paged, Paged } from 'src/common/http/pagination';
import { JobsService } from 'src/common/jobs/jobs.service';
import { formatDateTime } from 'src/common/time';
import { LinkingcloudClient } from 'src/integrations/linkingcloud/linkingcloud.client';
import { LcEvaluation, LcSendUser } from 'src/integrations/linkingcloud/linkingcloud.types';
import { PartnerCallError } from 'src/integrations/partner-http/partner-call.error';
import { User } from 'src/modules/users/user.entity';
import { ConsultDirectoryService } from './consult-directory.service';
import { ConsultQuestion, DeliveryState } from './consult-question.entity';
import { consultPartnerError, fenToYuan, lcOpenid, requireConfigured, yuanToFen } from './consult.partner';
import { questionView, QuestionView } from './consult.view';
import { CreateQuestionDto } from './dto/consult.dto';

export const SEND_QUESTION_JOB = 'consult.send-question';
/** Re-sends after 2 s, 4 s, 8 s … (about 2 h in all) cover a partner outage; each carries the same order_id. */
const SEND_RETRY = { retryLimit: 12, retryDelay: 2, retryBackoff: true };

const SEX: Record<number, string> = { 1: '男', 2: '女' };

/**
 * Our `order_id`: `LC`, the Shanghai wall-clock time to the second, 8 random digits (24 characters): sorts by
 * time, unique by the random part (and the unique index behind it).
 */
export function newConsultOrderId(now = new Date()): string {
  const stamp = new Date(now.getTime() + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);
  return `LC${stamp}${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}

/** What a send attempt says about the failure, for operators: kind and partner code, never the partner's text. */
const describe = (err: PartnerCallError) =>
  `${err.kind}${err.partnerCode ? ` ${err.partnerCode}` : ''}`.slice(0, 100);

/**
 * Patients' questions to 联空医问 doctors. A question is stored, with its send job, in one transaction; it is then
 * sent at once, and if that fails the job sends it again later with the same `order_id`. Every send holds the
 * question's row lock, so the request and the job never send one question twice at the same time.
 */
@Injectable()
export class ConsultQuestionsService implements OnModuleInit {
  private readonly logger = new Logger('Consult');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly client: LinkingcloudClient,
    private readonly directory: ConsultDirectoryService,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit(): void {
    this.jobs.register<{ questionId: number }>(
      SEND_QUESTION_JOB,
      (job) => this.sendFromQueue(job.questionId),
      SEND_RETRY,
    );
  }

  async ask(patient: User, dto: CreateQuestionDto): Promise<QuestionView> {
    requireConfigured(this.client);
    const doctor = await this.directory.doctor(dto.doctor_id);
    const dept = dto.dept_id ? await this.directory.dept(dto.dept_id) : undefined;
    if (dept && doctor.dept_name !== dept.dept_name)
      throw new AppException(ErrorCode.CONSULT_DOCTOR_NOT_FOUND);
    const id = await this.db.transaction(async (m) => {
      const question = await m.save(
        m.create(ConsultQuestion, {
          orderId: newConsultOrderId(),
          patientUserId: patient.id,
          lcDoctorId: doctor.doctor_id,
          doctorName: doctor.doctor_name.slice(0, 50),
          lcDeptId: dept?.dept_id ?? '',
          deptName: (dept?.dept_name ?? doctor.dept_name).slice(0, 50),
          content: dto.content,
          images: dto.images ?? [],
          consultName: dto.consult_name,
          amountFen: yuanToFen(dto.consult_amount),
        }),
      );
      await this.jobs.send(
        SEND_QUESTION_JOB,
        { questionId: question.id },
        { manager: m, singletonKey: question.orderId },
      );
      return question.id;
    });
    await this.deliver(id);
    return questionView(await this.db.getRepository(ConsultQuestion).findOneByOrFail({ id }));
  }

  async mine(patient: User, query: PageQuery): Promise<Paged<QuestionView>> {
    const [rows, count] = await this.db.getRepository(ConsultQuestion).findAndCount({
      where: { patientUserId: patient.id },
      order: { id: 'DESC' },
      skip: query.offset,
      take: query.page_size,
    });
    return paged(rows.map(questionView), count, query);
  }

  async one(patient: User, id: number): Promise<QuestionView> {
    return questionView(await this.own(patient, id));
  }

  /** 3.5 `lc.ask.get.evaluate`: the patient's rating of the answer, null until there is one. */
  async evaluation(patient: User, id: number): Promise<{ evaluation: LcEvaluation | null }> {
    const question = await this.own(patient, id);
    requireConfigured(this.client);
    if (question.delivery !== 'sent') throw new AppException(ErrorCode.CONSULT_QUESTION_NOT_DELIVERED);
    try {
      const evaluation = await this.client.getEvaluate({
        order_id: question.orderId,
        openid: lcOpenid(patient.id),
      });
      return { evaluation };
    } catch (err) {
      throw consultPartnerError(err);
    }
  }

  private async own(patient: User, id: number): Promise<ConsultQuestion> {
    const question = await this.db
      .getRepository(ConsultQuestion)
      .findOneBy({ id, patientUserId: patient.id });
    if (!question) throw new AppException(ErrorCode.CONSULT_QUESTION_NOT_FOUND);
    return question;
  }

  /** The job: a question still pending after this attempt fails the job, so the queue tries again later. */
  private async sendFromQueue(questionId: number): Promise<void> {
    const state = await this.deliver(questionId);
    if (state === 'pending') throw new Error(`question ${questionId} not delivered yet`);
  }

  /**
   * One send attempt under the question's row lock; anything but `pending` is final and is not sent again.
   * A refusal by the partner (`api`) is final; any other failure leaves the question pending for the job.
   */
  private deliver(questionId: number): Promise<DeliveryState | undefined> {
    return this.db.transaction(async (m) => {
      const question = await m.findOne(ConsultQuestion, {
        where: { id: questionId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!question || question.delivery !== 'pending') return question?.delivery;
      const patient = await m.findOneByOrFail(User, { id: question.patientUserId });
      question.attempts += 1;
      try {
        await this.client.sendUser(this.payload(question, patient));
        Object.assign(question, { delivery: 'sent', sentAt: new Date(), lastError: '' });
      } catch (err) {
        if (!(err instanceof PartnerCallError)) throw err;
        question.lastError = describe(err);
        if (err.kind === 'api') question.delivery = 'rejected';
        this.logger.warn(
          `question ${question.id}: send attempt ${question.attempts} failed (${question.lastError})`,
        );
      }
      await m.save(question);
      return question.delivery;
    });
  }

  /** 3.3 fields; the phone is not sent with questions (upload.user syncs it with the profile). */
  private payload(q: ConsultQuestion, patient: User): LcSendUser {
    return {
      order_id: q.orderId,
      openid: lcOpenid(patient.id),
      patient_nickname: patient.realName,
      patient_avatar: patient.avatars,
      patient_birthdate: patient.birthday ?? undefined,
      patient_sex: SEX[patient.sex],
      ask_content: q.content,
      ask_imagelist: q.images,
      ask_createtime: formatDateTime(q.createdAt),
      dept_id: q.lcDeptId || undefined,
      doctor_id: q.lcDoctorId,
      consult_name: q.consultName,
      consult_amount: fenToYuan(q.amountFen),
    };
  }
}
