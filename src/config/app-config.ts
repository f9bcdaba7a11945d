import { EnvSchema } from './env.schema';

/**
 * The validated configuration, injectable by class: `constructor(private readonly config: AppConfig)`.
 * Built once per application from the environment (plus overrides in tests).
 */
export abstract class AppConfig extends EnvSchema {}

export function publicBaseUrl(config: EnvSchema): string {
  return (config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, '');
}
