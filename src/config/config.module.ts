import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { usePersonalDataKeys } from 'src/common/crypto/personal-data';
import { setPlatformTimeZone } from 'src/common/time';
import { AppConfig } from './app-config';
import { validateEnv } from './env.schema';

/** Validated configuration from the environment (plus overrides, for tests), injectable as `AppConfig`. */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(overrides: Record<string, string | undefined> = {}): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          load: [() => ({ app: validateEnv({ ...process.env, ...overrides }) })],
        }),
      ],
      providers: [
        {
          provide: AppConfig,
          inject: [ConfigService],
          useFactory: (config: ConfigService) => {
            const app = config.getOrThrow<AppConfig>('app');
            setPlatformTimeZone(app.TZ_NAME);
            usePersonalDataKeys(app);
            return app;
          },
        },
      ],
      exports: [AppConfig],
    };
  }
}
