import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { PageQuery } from 'src/common/http/pagination';
import { BlankAsAbsent, ToInt, Trim } from 'src/common/http/transforms';
import { DELIVERY_STATUSES, DeliveryStatus } from '../followup-delivery.entity';

/** The partner's ids: the doc shows hex and digits; letters, digits, `_`, `-`, `.` up to 64 are accepted. */
const PARTNER_ID = /^[\w.-]{1,64}$/;

const PartnerIdField = (name: string, description: string, required = false) =>
  applyDecorators(
    required
      ? ApiProperty({ description, maxLength: 64, example: '78bfcced948a65d29c5c77f1cd3367a2' })
      : ApiPropertyOptional({ description, maxLength: 64, example: '2034131106552037' }),
    Trim(),
    required ? IsNotEmpty({ message: `${name} 不能为空` }) : IsOptional(),
    IsString({ message: `${name} 必须是文本` }),
    Matches(PARTNER_ID, { message: `${name} 只能包含字母、数字、_、-、.，最长 64 位` }),
  );

/** `POST /admin/chat/dialogs/{id}/followup`: the follow-up session (and the partner's ids) a dialog goes to. */
export class LinkFollowupDto {
  @PartnerIdField('session_id', '阿里健康随访会话 ID（session_id）', true)
  session_id: string;

  @PartnerIdField('bterm_user_id', '医生 ID 或医生组 ID（bterm_user_id，可选）')
  bterm_user_id?: string;

  @PartnerIdField('cterm_user_id', '就诊人 ID（cterm_user_id，可选）')
  cterm_user_id?: string;

  @PartnerIdField('user_id', '医生在阿里健康的 ID（user_id，可选；随医生发送的消息一起发送）')
  user_id?: string;
}

/** `GET /admin/followup/deliveries`: filters and page. */
export class DeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: '投递状态；不传为全部' })
  @BlankAsAbsent()
  @IsOptional()
  @IsIn(DELIVERY_STATUSES, { message: `status 只能是 ${DELIVERY_STATUSES.join('、')}` })
  status?: DeliveryStatus;

  @ApiPropertyOptional({ description: '只看该对话的投递' })
  @BlankAsAbsent()
  @IsOptional()
  @ToInt()
  @IsInt({ message: 'dialog_id 必须是整数' })
  @Min(1, { message: 'dialog_id 必须是正整数' })
  @Max(2_147_483_647, { message: 'dialog_id 超出范围' })
  dialog_id?: number;
}
