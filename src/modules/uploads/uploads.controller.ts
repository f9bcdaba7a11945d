import { Controller, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from 'src/common/auth/decorators';
import { APP_ROLES } from 'src/common/auth/roles';
import { ImageUploadInterceptor } from './image-upload.interceptor';
import { UploadsService } from './uploads.service';

@ApiTags('uploads')
@Controller()
export class UploadsController {
  constructor(private readonly uploads: UploadsService) {}

  @Post('imgupload')
  @Roles(...APP_ROLES, 'admin')
  @UseInterceptors(ImageUploadInterceptor)
  @ApiOperation({ summary: '1.2.2 上传图片（jpg/png/gif/webp，按内容识别，大小有上限）' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
    },
  })
  upload(@UploadedFile() file?: Express.Multer.File) {
    return this.uploads.saveImage(file);
  }
}
