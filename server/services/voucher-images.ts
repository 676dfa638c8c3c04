import { createHash } from 'node:crypto';
import type { Redaction } from '../../shared/schemas/vouchers';
import { boxesFit, imageKeyFor, type VoucherRecord } from '../domain/voucher';
import { AppError, conflict } from '../errors';
import type { ImageProcessor, UprightImage } from '../images/image-processor';
import type { ImageFormat } from '../images/sniff';
import type { Box } from '../ocr/ocr-engine';
import type { ObjectStorage } from '../storage/object-storage';

const FORMAT_BY_MIME: Record<string, ImageFormat> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp', 'image/heic': 'heic' };

export interface DerivedKeys {
  displayKey: string;
  thumbKey: string;
  publicDisplayKey: string;
  publicThumbKey: string;
}

/** Derived images are stored under the hash of their own bytes: identical output, identical key. */
export class VoucherImages {
  constructor(
    private readonly storage: ObjectStorage,
    private readonly images: ImageProcessor,
  ) {}

  async upright(voucher: Pick<VoucherRecord, 'originalKey' | 'originalMime'>): Promise<UprightImage> {
    const format = FORMAT_BY_MIME[voucher.originalMime ?? ''] ?? 'jpeg';
    return this.images.upright(await this.storage.get(voucher.originalKey), format);
  }

  private async store(data: Buffer, ext: 'jpg' | 'webp'): Promise<string> {
    const key = imageKeyFor(createHash('sha256').update(data).digest('hex'), ext);
    await this.storage.put(key, data);
    return key;
  }

  async deriveAndStore(image: UprightImage, boxes: Box[]): Promise<DerivedKeys> {
    const derived = await this.images.derive(image, boxes);
    return {
      displayKey: await this.store(derived.display, 'jpg'),
      thumbKey: await this.store(derived.thumb, 'webp'),
      publicDisplayKey: await this.store(derived.publicDisplay, 'jpg'),
      publicThumbKey: await this.store(derived.publicThumb, 'webp'),
    };
  }

  /** New public twins for boxes staff drew; refuses a voucher not processed yet and boxes off the image. */
  async redactedCopies(voucher: VoucherRecord, redactions: Redaction[]): Promise<Pick<DerivedKeys, 'publicDisplayKey' | 'publicThumbKey'>> {
    if (voucher.status !== 'ready' || !voucher.width || !voucher.height) throw conflict('这张凭证还没有处理好，不能调整遮挡');
    if (!boxesFit(voucher, redactions)) throw new AppError('validation_failed', '遮挡框超出了图片范围', { field: 'redactions' });
    return this.rederivePublic(voucher, redactions.map((r) => r.box));
  }

  /** New public twins after staff changed the redaction boxes. */
  async rederivePublic(voucher: VoucherRecord, boxes: Box[]): Promise<Pick<DerivedKeys, 'publicDisplayKey' | 'publicThumbKey'>> {
    const { publicDisplayKey, publicThumbKey } = await this.deriveAndStore(await this.upright(voucher), boxes);
    return { publicDisplayKey, publicThumbKey };
  }
}
