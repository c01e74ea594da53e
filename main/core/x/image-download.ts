// Fetches a feed item's image for upload. The URL comes from an untrusted feed: http(s)
// only, bounded in time and bytes, and only image types X accepts.

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024; // X's limit for a still image

export class ImageDownloadError extends Error {
  override name = 'ImageDownloadError';
}

export type ImageType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';

export interface DownloadedImage {
  bytes: Buffer;
  mediaType: ImageType;
}

export async function downloadImage(
  url: string,
  options: { fetch: typeof fetch; timeoutMs: number; maxBytes?: number },
): Promise<DownloadedImage> {
  const maxBytes = options.maxBytes ?? MAX_IMAGE_BYTES;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ImageDownloadError('the image URL is not valid');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new ImageDownloadError('the image URL is not http(s)');

  const signal = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  try {
    response = await options.fetch(parsed, { signal, redirect: 'follow' });
  } catch (err) {
    throw new ImageDownloadError(`the image could not be fetched (${err instanceof Error ? err.name : 'error'})`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ImageDownloadError(`the image server answered HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new ImageDownloadError(`the image is larger than ${maxBytes} bytes`);
  }

  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      if (size > maxBytes) throw new ImageDownloadError(`the image is larger than ${maxBytes} bytes`);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof ImageDownloadError) throw err;
    throw new ImageDownloadError(`the image download was interrupted (${err instanceof Error ? err.name : 'error'})`);
  }
  const bytes = Buffer.concat(chunks);
  if (bytes.length === 0) throw new ImageDownloadError('the image is empty');

  const mediaType = sniffImageType(bytes);
  if (!mediaType) throw new ImageDownloadError('the file is not a JPEG, PNG, GIF or WebP image');
  return { bytes, mediaType };
}

/** The bytes decide: servers often label images wrongly (application/octet-stream, text/html). */
function sniffImageType(bytes: Buffer): ImageType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.subarray(0, 6).toString('latin1') === 'GIF87a' || bytes.subarray(0, 6).toString('latin1') === 'GIF89a') return 'image/gif';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return null;
}
