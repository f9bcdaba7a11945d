import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditLog } from './audit-log.entity';
import { AuditService } from './audit.service';
import { ReadAudit } from './read-audit.entity';
import { ReadAuditInterceptor } from './read-audit.interceptor';
import { ReadAuditService } from './read-audit.service';

/**
 * Global: every module with operator routes records into the one audit log, and routes that show patients'
 * records or ID numbers record those reads (`@AuditReads`).
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditLog, ReadAudit])],
  providers: [AuditService, ReadAuditService, ReadAuditInterceptor],
  exports: [AuditService, ReadAuditService, ReadAuditInterceptor],
})
export class AuditModule {}
