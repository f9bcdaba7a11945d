import { Injectable } from '@nestjs/common';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { imageExtension } from 'src/common/storage/image-type';
import { LocalStorage } from 'src/common/storage/local-storage';

@Injectable()
export class UploadsService {
  constructor(private readonly storage: LocalStorage) {}

  async saveImage(file: Express.Multer.File | undefined): Promise<{ url: string }> {
    if (!file || file.size === 0) throw new AppException(ErrorCode.UPLOAD_EMPTY);
    const ext = await imageExtension(file.buffer);
    if (!ext) throw new AppException(ErrorCode.UPLOAD_NOT_IMAGE);
    return { url: await this.storage.save(file.buffer, ext) };
  }
}
