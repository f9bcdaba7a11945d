import type { ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { answerParserErrorsWithEnvelope } from './common/http/client-error';
import { requestIdMiddleware } from './common/http/request-id';
import { RealtimeIoAdapter } from './common/realtime/realtime-io.adapter';
import { UPLOADS_URL_PREFIX } from './common/storage/local-storage';
import { AppConfig } from './config/app-config';

function trustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** Builds the configured application (not yet listening); shared by `main.ts` and the tests. */
export async function createApp(
  overrides: Record<string, string | undefined> = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(overrides), {
    bufferLogs: true,
    // Start-up errors (bad configuration) reject here instead of exiting the process; main.ts exits.
    abortOnError: false,
    bodyParser: false,
    // Payment notifications are verified over the exact bytes received.
    rawBody: true,
  });
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  answerParserErrorsWithEnvelope(app.getHttpServer());
  // First, so that static files and body-parser failures (which never reach Nest's middleware) carry it too.
  app.use(requestIdMiddleware);
  app.set('trust proxy', trustProxy(config.TRUST_PROXY));
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: `${config.BODY_LIMIT_KB}kb` });
  app.useBodyParser('urlencoded', {
    limit: `${config.BODY_LIMIT_KB}kb`,
    extended: true,
    parameterLimit: 1000,
  });
  app.use(cookieParser());
  app.use(helmet({ crossOriginResourcePolicy: { policy: 'cross-origin' } }));
  const origins = config.CORS_ORIGINS ? config.CORS_ORIGINS.split(',').map((s) => s.trim()) : [];
  const cors = origins.length
    ? { origin: origins.includes('*') ? true : origins, credentials: true }
    : undefined;
  if (cors) app.enableCors({ ...cors, exposedHeaders: ['X-Request-Id'] });
  // Socket.IO (/chat) on the same HTTP server; through Redis pub/sub when set, so emits reach every instance.
  app.useWebSocketAdapter(new RealtimeIoAdapter(app, { redisUrl: config.REDIS_URL, cors }));
  app.useStaticAssets(resolve(config.UPLOAD_DIR), {
    prefix: `${UPLOADS_URL_PREFIX}/`,
    index: false,
    dotfiles: 'deny',
    fallthrough: true,
    setHeaders: (res: ServerResponse) => res.setHeader('X-Content-Type-Options', 'nosniff'),
  });

  const doc = new DocumentBuilder()
    .setTitle('志愿医生 API')
    .setDescription(
      'Patient, doctor and assistant apps; operator routes under /admin. Envelope: {error_code, data, error_message}.',
    )
    .setVersion('2.0')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-auth-token' }, 'X-auth-token')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc), {
    jsonDocumentUrl: 'docs-json',
  });
  return app;
}
