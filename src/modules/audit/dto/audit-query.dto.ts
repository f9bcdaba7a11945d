import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { PageQuery } from 'src/common/http/pagination';
import { ToInt } from 'src/common/http/transforms';
import type { ReaderRole } from '../read-audit.entity';

/** `GET /admin/audit`: operators' writes (default), or reads of sensitive personal information (`kind=read`). */
export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: ['write', 'read'],
    description: 'write 运营写操作（默认）；read 病历与身份证号的读取',
  })
  @IsOptional()
  @IsIn(['write', 'read'], { message: 'kind 只能是 write 或 read' })
  kind?: 'write' | 'read';

  @ApiPropertyOptional({ description: 'kind=read：被读取信息的用户 id' })
  @IsOptional()
  @ToInt()
  @IsInt({ message: 'user_id 必须是整数' })
  @Min(1, { message: 'user_id 最小为 1' })
  user_id?: number;

  @ApiPropertyOptional({ enum: ['doctor', 'assistant', 'admin'], description: 'kind=read：读取者角色' })
  @IsOptional()
  @IsIn(['doctor', 'assistant', 'admin'], { message: 'actor_role 只能是 doctor、assistant、admin' })
  actor_role?: ReaderRole;

  @ApiPropertyOptional({ description: 'kind=read：读取者 id（医生、医助的用户 id，或运营 id）' })
  @IsOptional()
  @ToInt()
  @IsInt({ message: 'actor_id 必须是整数' })
  @Min(1, { message: 'actor_id 最小为 1' })
  actor_id?: number;
}
