import { fromBuffer } from 'file-type';

/**
 * Images are recognised by content, never by the name or type a client claims; value = stored extension. An
 * animated PNG (file-type says `apng`) is still a PNG to every viewer, so it is kept as one rather than refused.
 */
const IMAGE_TYPES: Record<string, string> = { jpg: 'jpg', png: 'png', apng: 'png', gif: 'gif', webp: 'webp' };

/** The extension to store the bytes under when they are an accepted image; undefined otherwise. */
export async function imageExtension(bytes: Buffer): Promise<string | undefined> {
  const type = await fromBuffer(bytes);
  return type && Object.hasOwn(IMAGE_TYPES, type.ext) ? IMAGE_TYPES[type.ext] : undefined;
}
