import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, Max, Min } from 'class-validator';
import { ToInt } from 'src/common/http/transforms';
import { PhotoField, PlacementIdField } from 'src/modules/news/content-fields';
import { PublishProjectDto } from 'src/modules/projects/dto/publish-project.dto';

/** `POST /admin/sp_projects`: seed §2.2.12's fields, checked like a clinic's, plus where it is shown. */
export class CreateSpecialProjectDto extends PublishProjectDto {
  @PhotoField(true)
  photo?: string;

  @PlacementIdField()
  hospital_id?: number;

  @PlacementIdField()
  org_id?: number;
}

/** Only the fields given change; `status` 0 withdraws the special project from the apps, 1 publishes it again. */
export class UpdateSpecialProjectDto extends PartialType(CreateSpecialProjectDto) {
  @ApiPropertyOptional({ enum: [0, 1], description: '1 发布 0 下架' })
  @IsOptional()
  @ToInt()
  @IsIn([0, 1], { message: '状态只能是 0 或 1' })
  status?: number;
}

/** `POST /admin/sp_projects/{id}/projects` */
export class AttachProjectDto {
  @ApiProperty({ description: '义诊 id' })
  @ToInt()
  @IsNotEmpty({ message: '义诊 id 不能为空' })
  @IsInt({ message: '义诊 id 必须是整数' })
  @Min(1, { message: '义诊 id 必须是正整数' })
  @Max(2_147_483_647, { message: '义诊 id 超出范围' })
  project_id: number;
}
