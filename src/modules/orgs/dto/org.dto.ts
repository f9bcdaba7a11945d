import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty } from 'class-validator';
import { PageQuery } from 'src/common/http/pagination';
import { ToInt } from 'src/common/http/transforms';
import {
  IdFilter,
  IntFilter,
  NameField,
  TextField,
  UrlField,
} from 'src/modules/hospitals/dto/directory.fields';
import { MemberState } from '../org-member.entity';

abstract class OrgFields {
  @ApiPropertyOptional({ description: 'logo 图片地址' })
  @UrlField('logo')
  logo?: string;

  @ApiPropertyOptional({ description: '组织简介' })
  @TextField('组织简介', 2000)
  abstract?: string;
}

/** `POST /admin/orgs` */
export class CreateOrgDto extends OrgFields {
  @ApiProperty({ example: '蓝丝带志愿医疗队' })
  @NameField('组织名称', 100, true)
  name: string;
}

/** `PUT /admin/orgs/{id}`: only the fields sent change. */
export class UpdateOrgDto extends OrgFields {
  @ApiPropertyOptional({ example: '蓝丝带志愿医疗队' })
  @NameField('组织名称', 100, false)
  name?: string;
}

/** `GET /admin/org_members?verify_status=&org_id=` */
export class OrgMembersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: [0, 1, 2], description: '0 待审核 1 已通过 2 已拒绝' })
  @IntFilter([MemberState.Pending, MemberState.Approved, MemberState.Rejected])
  verify_status?: MemberState;

  @ApiPropertyOptional()
  @IdFilter()
  org_id?: number;
}

/** `POST /admin/org_members/{id}/verify` */
export class VerifyMemberDto {
  @ApiProperty({ enum: [1, 2], description: '1 通过 2 拒绝' })
  @ToInt()
  @IsNotEmpty({ message: 'verify_status 不能为空' })
  @IsIn([MemberState.Approved, MemberState.Rejected], { message: 'verify_status 只能是 1 或 2' })
  verify_status: MemberState.Approved | MemberState.Rejected;
}
