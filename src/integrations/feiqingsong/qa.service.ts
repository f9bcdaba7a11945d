import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, QueryFailedError, Repository } from 'typeorm';
import { personalData } from 'src/common/crypto/personal-data';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { PageQuery, paged } from 'src/common/http/pagination';
import { formatDateTime } from 'src/common/time';
import { PartnerCallError } from 'src/integrations/partner-http/partner-call.error';
import { toPartnerException } from 'src/integrations/partner-http/partner-errors';
import { pageWindow, PageFetch } from './drf-paging';
import {
  DRF_FORBIDDEN,
  DRF_INVALID,
  DRF_NOT_FOUND,
  FEIQINGSONG_LABEL,
  FeiqingsongClient,
} from './feiqingsong.client';
import { FeiqingsongAccount } from './feiqingsong-account.entity';
import { QaOrder, QaOrderStatus } from './feiqingsong.types';
import { CreateOrderDto } from './dto/create-order.dto';
import { EvaluateOrderDto } from './dto/evaluate-order.dto';
import { LinkAccountDto } from './dto/link-account.dto';
import { PayOrderDto } from './dto/pay-order.dto';
import { ListOrdersQuery } from './dto/qa-queries.dto';
import { QaOrderRecord } from './qa-order.entity';
import { toEvaluationView, toInquiryRecordView, toOrderView, toQaView } from './qa.view';

const isUniqueViolation = (err: unknown) =>
  err instanceof QueryFailedError && (err.driverError as { code?: string })?.code === '23505';

const tokenHash = (token: string) => personalData().lookupHash('credential', token);

/**
 * Our codes for the partner's answers to calls made with a linked account: its token refused (the patient must
 * link again), "not found" of what the call names, a business refusal of the order's state (`status: -N`), and
 * field errors. Everything else (outages, garbage) keeps the generic partner codes.
 */
const mapFailure =
  (notFound: ErrorCode) =>
  (e: PartnerCallError): ErrorCode | undefined => {
    if (e.kind === 'auth') return ErrorCode.QA_ACCOUNT_TOKEN_EXPIRED;
    if (e.kind !== 'api') return undefined;
    if (e.partnerCode === DRF_NOT_FOUND || e.partnerCode === DRF_FORBIDDEN) return notFound;
    if (e.partnerCode === DRF_INVALID) return ErrorCode.QA_REQUEST_REJECTED;
    return /^-\d+$/.test(e.partnerCode ?? '') ? ErrorCode.QA_ORDER_STATE_INVALID : undefined;
  };

/**
 * 肺轻松 paid Q&A for our patients: each links their own 肺轻松 account (its token sealed at rest) and works on
 * orders through it. Orders created through us are recorded, and only their creator reaches them here.
 */
@Injectable()
export class QaService {
  constructor(
    private readonly client: FeiqingsongClient,
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(FeiqingsongAccount) private readonly accounts: Repository<FeiqingsongAccount>,
    @InjectRepository(QaOrderRecord) private readonly orders: Repository<QaOrderRecord>,
  ) {}

  /**
   * Checks the token with the partner (and that the username and patient pk belong to it, where the partner's
   * answers show it), then stores it in place of any earlier link of this patient.
   */
  async link(userId: number, dto: LinkAccountDto) {
    await this.verify(dto);
    const hash = tokenHash(dto.token);
    const holder = await this.accounts.findOne({ where: { tokenHash: hash }, select: { userId: true } });
    if (holder && holder.userId !== userId) throw new AppException(ErrorCode.QA_ACCOUNT_LINKED_ELSEWHERE);
    try {
      await this.db.transaction(async (m) => {
        await m.delete(FeiqingsongAccount, { userId });
        await m.insert(FeiqingsongAccount, {
          userId,
          username: dto.username,
          patientPk: dto.patient_pk ?? null,
          token: dto.token,
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppException(ErrorCode.QA_ACCOUNT_LINKED_ELSEWHERE);
      throw err;
    }
    return this.status(userId);
  }

  async status(userId: number) {
    const account = await this.accounts.findOne({
      where: { userId },
      select: { username: true, patientPk: true, createdAt: true },
    });
    return {
      linked: Boolean(account),
      username: account?.username ?? null,
      patient_pk: account?.patientPk ?? null,
      linked_at: account ? formatDateTime(account.createdAt) : null,
    };
  }

  async unlink(userId: number) {
    await this.accounts.delete({ userId });
    return this.status(userId);
  }

  async listOrders(userId: number, q: ListOrdersQuery) {
    const { token } = await this.account(userId);
    const { list, count } = await this.window(
      (page, pageSize) => this.client.listOrders(token, 'patient', { status: q.status, page, pageSize }),
      q,
    );
    await this.snapshot(userId, list);
    return paged(list.map(toOrderView), count, q);
  }

  async qaOrders(userId: number, q: PageQuery) {
    const { token } = await this.account(userId);
    const { list, count } = await this.window(
      (page, pageSize) => this.client.qaOrders(token, 'patient', { page, pageSize }),
      q,
    );
    await this.snapshot(userId, list);
    return paged(list.map(toOrderView), count, q);
  }

  async createOrder(userId: number, dto: CreateOrderDto) {
    const { token } = await this.account(userId);
    const order = await this.partner(ErrorCode.QA_DOCTOR_NOT_FOUND, () =>
      this.client.createOrder(token, { doctor: dto.doctor, order_type: dto.order_type }),
    );
    await this.orders.insert({
      orderNumber: order.order_number,
      userId,
      doctor: order.doctor.owner,
      status: order.status,
    });
    return toOrderView(order);
  }

  async detail(userId: number, orderNumber: string) {
    return toOrderView(await this.fetchOrder(userId, orderNumber));
  }

  /** The patient's question and the doctor's answer (null until asked / answered). */
  async questionAndAnswer(userId: number, orderNumber: string) {
    const order = await this.fetchOrder(userId, orderNumber);
    return { order_number: order.order_number, status: order.status, ...toQaView(order) };
  }

  /** The partner's Ping++ charge, for the app's payment SDK; the status changes when the partner hears of it. */
  async pay(userId: number, orderNumber: string, dto: PayOrderDto) {
    const token = await this.ownOrder(userId, orderNumber);
    const charge = await this.partner(ErrorCode.QA_ORDER_NOT_FOUND, () =>
      this.client.payOrder(token, orderNumber, dto.channel),
    );
    return { order_number: orderNumber, charge };
  }

  cancel(userId: number, orderNumber: string) {
    return this.act(userId, orderNumber, (token) => this.client.cancelOrder(token, orderNumber));
  }

  finish(userId: number, orderNumber: string) {
    return this.act(userId, orderNumber, (token) => this.client.finishOrder(token, orderNumber));
  }

  async evaluate(userId: number, orderNumber: string, dto: EvaluateOrderDto) {
    const token = await this.ownOrder(userId, orderNumber);
    const evaluation = await this.partner(ErrorCode.QA_ORDER_NOT_FOUND, () =>
      this.client.evaluateOrder(token, orderNumber, { scores: dto.scores, content: dto.content }),
    );
    await this.orders.update({ userId, orderNumber }, { status: QaOrderStatus.Evaluated });
    return toEvaluationView(evaluation);
  }

  async destroy(userId: number, orderNumber: string): Promise<void> {
    const token = await this.ownOrder(userId, orderNumber);
    await this.partner(ErrorCode.QA_ORDER_NOT_FOUND, () => this.client.destroyOrder(token, orderNumber));
    await this.orders.delete({ userId, orderNumber });
  }

  async doctorEvaluations(userId: number, username: string, q: PageQuery) {
    const { token } = await this.account(userId);
    const { list, count } = await this.window(
      (page, pageSize) => this.client.doctorEvaluations(token, username, { page, pageSize }),
      q,
      ErrorCode.QA_DOCTOR_NOT_FOUND,
    );
    return paged(list.map(toEvaluationView), count, q);
  }

  async inquiryRecords(userId: number, q: PageQuery) {
    const { token, patientPk } = await this.account(userId);
    if (patientPk === null) throw new AppException(ErrorCode.QA_PATIENT_PK_MISSING);
    const { list, count } = await this.window(
      (page, pageSize) => this.client.inquiryRecords(token, patientPk, { page, pageSize }),
      q,
      ErrorCode.QA_LINK_ACCOUNT_MISMATCH,
    );
    return paged(list.map(toInquiryRecordView), count, q);
  }

  private async verify(dto: LinkAccountDto): Promise<void> {
    const linkFailure = (e: PartnerCallError) => {
      if (e.kind === 'auth') return ErrorCode.QA_LINK_TOKEN_INVALID;
      return e.kind === 'api' && (e.partnerCode === DRF_NOT_FOUND || e.partnerCode === DRF_FORBIDDEN)
        ? ErrorCode.QA_LINK_ACCOUNT_MISMATCH
        : undefined;
    };
    try {
      const newest = await this.client.listOrders(dto.token, 'patient', { pageSize: 1 });
      const owner = newest.results[0]?.patient.owner;
      if (owner !== undefined && owner !== dto.username)
        throw new AppException(ErrorCode.QA_LINK_ACCOUNT_MISMATCH);
      if (dto.patient_pk !== undefined)
        await this.client.inquiryRecords(dto.token, dto.patient_pk, { pageSize: 1 });
    } catch (e) {
      throw toPartnerException(e, FEIQINGSONG_LABEL, linkFailure);
    }
  }

  private async account(userId: number): Promise<FeiqingsongAccount> {
    const account = await this.accounts.findOneBy({ userId });
    if (!account) throw new AppException(ErrorCode.QA_ACCOUNT_NOT_LINKED);
    return account;
  }

  /** The linked token, once the order is known to be one this patient created through us. */
  private async ownOrder(userId: number, orderNumber: string): Promise<string> {
    const { token } = await this.account(userId);
    if (!(await this.orders.existsBy({ userId, orderNumber })))
      throw new AppException(ErrorCode.QA_ORDER_NOT_FOUND);
    return token;
  }

  private async fetchOrder(userId: number, orderNumber: string): Promise<QaOrder> {
    const token = await this.ownOrder(userId, orderNumber);
    const order = await this.partner(ErrorCode.QA_ORDER_NOT_FOUND, () =>
      this.client.orderDetail(token, orderNumber),
    );
    await this.snapshot(userId, [order]);
    return order;
  }

  private async act(userId: number, orderNumber: string, call: (token: string) => Promise<QaOrder>) {
    const token = await this.ownOrder(userId, orderNumber);
    const order = await this.partner(ErrorCode.QA_ORDER_NOT_FOUND, () => call(token));
    await this.snapshot(userId, [order]);
    return toOrderView(order);
  }

  private window<T>(fetch: PageFetch<T>, q: PageQuery, notFound = ErrorCode.QA_ACCOUNT_NOT_LINKED) {
    return this.partner(notFound, () => pageWindow(fetch, q.current_page, q.page_size));
  }

  private async partner<T>(notFound: ErrorCode, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      throw toPartnerException(e, FEIQINGSONG_LABEL, mapFailure(notFound));
    }
  }

  /** Keeps the status last seen of the orders we created that the partner just showed. */
  private async snapshot(userId: number, orders: QaOrder[]): Promise<void> {
    if (!orders.length) return;
    await this.db.query(
      `UPDATE feiqingsong_order o SET status = x.status, updated_at = now()
       FROM jsonb_to_recordset($2::jsonb) AS x(order_number text, status smallint)
       WHERE o.user_id = $1 AND o.order_number = x.order_number AND o.status <> x.status`,
      [userId, JSON.stringify(orders.map((o) => ({ order_number: o.order_number, status: o.status })))],
    );
  }
}
