import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from 'src/common/http/pagination';
import { BlankAsAbsent, ToInt } from 'src/common/http/transforms';
import { VisitState } from '../diagnosis.entity';

/** An optional integer filter; apps built from the seed send unused ones as empty keys (`?status=`): no filter. */
const OptionalChoice = (values: number[], message: string) =>
  applyDecorators(BlankAsAbsent(), IsOptional(), ToInt(), IsIn(values, { message }));

/** 3.2.8 `/doctor/project/patient`. */
export class VisitStatusQuery extends PageQuery {
  @ApiPropertyOptional({ enum: [1, 2, 3], description: '1 待诊 2 未诊 3 已诊；不传为全部' })
  @OptionalChoice([VisitState.Waiting, VisitState.NoShow, VisitState.Seen], '只能是 1、2 或 3')
  status?: VisitState;
}

/** 3.3.13 `type`: 1 booked and waiting, 2 rejected or cancelled, 3 no-show, 4 seen. */
export enum PatientListType {
  Booked = 1,
  Failed = 2,
  NoShow = 3,
  Seen = 4,
}

/** 3.3.13 `/custom/diagnoses`. */
export class PatientDiagnosesQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: PatientListType,
    description:
      '1 已挂号（待支付或预约成功，待诊） 2 挂号失败（被拒绝或已取消） 3 未到诊 4 诊疗完成；不传为全部',
  })
  @OptionalChoice([1, 2, 3, 4], '只能是 1、2、3 或 4')
  type?: PatientListType;
}
