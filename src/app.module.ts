import { randomUUID } from 'node:crypto';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AuthCoreModule } from './common/auth/auth-core.module';
import { redactedStdout } from './common/crypto/redaction';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { EnvelopeInterceptor } from './common/http/envelope.interceptor';
import { createValidationPipe } from './common/http/validation';
import { JobsModule } from './common/jobs/jobs.module';
import { isAuthRoute } from './common/rate-limit/auth-throttle';
import { RateLimitModule } from './common/rate-limit/rate-limit.module';
import { SharedThrottlerStorage } from './common/rate-limit/throttler-storage';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source';
import { FeiqingsongModule } from './integrations/feiqingsong/feiqingsong.module';
import { H91160Module } from './integrations/h91160/h91160.module';
import { AlihealthModule } from './integrations/alihealth/alihealth.module';
import { PartnerHttpModule } from './integrations/partner-http/partner-http.module';
import { SmsModule } from './integrations/sms/sms.module';
import { WechatModule } from './integrations/wechat/wechat.module';
import { AdminModule } from './modules/admin/admin.module';
import { AssistantsModule } from './modules/assistants/assistants.module';
import { BannersModule } from './modules/banners/banners.module';
import { DoctorsModule } from './modules/doctors/doctors.module';
import { HospitalsModule } from './modules/hospitals/hospitals.module';
import { MessagesModule } from './modules/messages/messages.module';
import { NewsModule } from './modules/news/news.module';
import { DiagnosesModule } from './modules/diagnoses/diagnoses.module';
import { HomepagesModule } from './modules/homepages/homepages.module';
import { OrgsModule } from './modules/orgs/orgs.module';
import { PaymentsModule } from './modules/payments/payments.module';
import { ProjectsModule } from './modules/projects/projects.module';
import { SocialModule } from './modules/social/social.module';
import { SpecialProjectsModule } from './modules/special-projects/special-projects.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuthModule } from './modules/auth/auth.module';
import { ChatModule } from './modules/chat/chat.module';
import { CodesModule } from './modules/codes/codes.module';
import { HealthModule } from './modules/health/health.module';
import { RegionsModule } from './modules/regions/regions.module';
import { UploadsModule } from './modules/uploads/uploads.module';
import { UsersModule } from './modules/users/users.module';
import { ConsultModule } from './modules/consult/consult.module';

/** requestIdMiddleware (mounted first in app.factory) has already chosen the id and set the header. */
const requestId = (req: IncomingMessage): string => String(req.headers['x-request-id'] ?? randomUUID());

@Module({})
export class AppModule {
  /** `overrides` replace environment variables for this instance (tests start several differently configured apps). */
  static forRoot(overrides: Record<string, string | undefined> = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(overrides),
        LoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (c: AppConfig) => ({
            pinoHttp: [
              {
                level: c.LOG_LEVEL,
                genReqId: requestId,
                // Secrets travel in headers and query strings (tokens, phones in searches): log neither.
                serializers: {
                  req: (req: { id: string; method: string; url: string }) => ({
                    id: req.id,
                    method: req.method,
                    url: req.url.split('?')[0],
                  }),
                  res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
                },
              },
              // Phone and ID numbers in any message (a driver's error, a database error) are masked on the way out.
              redactedStdout,
            ],
          }),
        }),
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (c: AppConfig) => dataSourceOptions(c.DATABASE_URL as string),
        }),
        RateLimitModule,
        ThrottlerModule.forRootAsync({
          inject: [AppConfig, SharedThrottlerStorage],
          useFactory: (c: AppConfig, storage: SharedThrottlerStorage) => ({
            throttlers: [
              { name: 'default', ttl: 60_000, limit: c.RATE_LIMIT_PER_MINUTE },
              {
                name: 'auth',
                ttl: 60_000,
                limit: c.AUTH_RATE_LIMIT_PER_MINUTE,
                skipIf: (ctx) => !isAuthRoute(ctx),
              },
            ],
            storage,
          }),
        }),
        JobsModule,
        SmsModule,
        AuthCoreModule,
        AuditModule,
        HealthModule,
        UsersModule,
        CodesModule,
        AuthModule,
        RegionsModule,
        UploadsModule,
        AdminModule,
        HospitalsModule,
        OrgsModule,
        NewsModule,
        BannersModule,
        MessagesModule,
        SocialModule,
        DoctorsModule,
        ProjectsModule,
        DiagnosesModule,
        SpecialProjectsModule,
        HomepagesModule,
        AssistantsModule,
        ChatModule,
        WechatModule,
        PaymentsModule,
        PartnerHttpModule,
        ConsultModule,
        AlihealthModule,
        H91160Module,
        FeiqingsongModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_INTERCEPTOR, useClass: EnvelopeInterceptor },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
