import { Module } from '@nestjs/common';
import { LinkingcloudModule } from 'src/integrations/linkingcloud/linkingcloud.module';
import { ConsultAdminController } from './consult-admin.controller';
import { ConsultDirectoryService } from './consult-directory.service';
import { ConsultQuestionsService } from './consult-questions.service';
import { ConsultSyncService } from './consult-sync.service';
import { ConsultController } from './consult.controller';

/** Online consultation through 联空医问: patients' questions, and our doctors' hours and patients synced there. */
@Module({
  imports: [LinkingcloudModule],
  controllers: [ConsultController, ConsultAdminController],
  providers: [ConsultDirectoryService, ConsultQuestionsService, ConsultSyncService],
})
export class ConsultModule {}
