/**
 * Hostile uploads, made in code: every file is built here from sharp and Buffers, so nothing
 * binary is checked in and each item is exactly what its name says (the corpus test checks that).
 * Also a raw multipart writer (so file names reach the server byte for byte) and a raw HTTP
 * client that can stall half-way through a body.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';

// ---------------------------------------------------------------------------------------------
// Real images

/**
 * A small photo-like JPEG: a coloured sheet with a few dark bars (lines of "text"). `seed`
 * changes the colours, so each call with another seed has its own bytes and its own sha256.
 */
export async function photoJpeg(seed: number, size: { width: number; height: number } = { width: 480, height: 360 }): Promise<Buffer> {
  const { width, height } = size;
  const bar = (top: number, w: number) => ({
    input: { create: { width: w, height: 12, channels: 3 as const, background: { r: 30, g: 30, b: 40 } } },
    left: 24,
    top,
  });
  return sharp({ create: { width, height, channels: 3, background: { r: 200 + (seed % 50), g: (seed * 37) % 256, b: (seed * 101) % 256 } } })
    .composite([bar(30, Math.floor(width * 0.6)), bar(70, Math.floor(width * 0.4)), bar(110, Math.floor(width * 0.7))])
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** Noise compresses badly: a JPEG of roughly `approxBytes`, all of it entropy-coded data. */
export async function noisyJpeg(side: number, quality = 90): Promise<Buffer> {
  return sharp({ create: { width: side, height: side, channels: 3, background: { r: 128, g: 128, b: 128 }, noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
    .jpeg({ quality })
    .toBuffer();
}

/** A JPEG cut off in the middle of its image data (a phone upload that broke off). */
export async function truncatedJpeg(): Promise<Buffer> {
  const whole = await noisyJpeg(400);
  return whole.subarray(0, Math.floor(whole.length * 0.6));
}

// ---------------------------------------------------------------------------------------------
// PNG with a lying header

/** CRC-32 as PNG and ZIP use it (zlib.crc32 only exists from Node 20.15; the project supports 20.9). */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
export function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * A well-formed PNG (every chunk's CRC right) whose IHDR claims `width`×`height` RGB pixels,
 * with a few real rows of compressed data behind it: a decompression bomb if anyone believes it.
 */
export function pngClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  ihdr[10] = 0; // compression
  ihdr[11] = 0; // filter
  ihdr[12] = 0; // no interlace
  const someRows = zlib.deflateSync(Buffer.alloc(4 * (1 + width * 3)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', someRows), pngChunk('IEND', Buffer.alloc(0))]);
}

/** The width and height an IHDR chunk states, and whether its CRC is right. */
export function readPngHeader(png: Buffer): { width: number; height: number; crcOk: boolean } {
  const typeAndData = png.subarray(12, 12 + 4 + 13);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), crcOk: (crc32(typeAndData)) === png.readUInt32BE(12 + 4 + 13) };
}

// ---------------------------------------------------------------------------------------------
// JPEG with a huge metadata block

/** Marker text planted in every metadata block, to look for in what the server hands out. */
export const METADATA_MARK = 'HOSTILE-METADATA';

function jpegSegment(marker: number, payload: Buffer): Buffer {
  if (payload.length + 2 > 0xffff) throw new Error('a JPEG segment holds at most 65533 bytes');
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/**
 * A valid JPEG carrying about 180 KB of metadata: an EXIF APP1 of ~60 KB (a description that
 * long, plus GPS coordinates of a home), two XMP APP1 blocks of ~60 KB each and a comment.
 */
export async function jpegWithHugeExif(seed: number): Promise<Buffer> {
  const withExif = await sharp(await photoJpeg(seed))
    .withExif({
      IFD0: { ImageDescription: `${METADATA_MARK} `.repeat(3500).slice(0, 59_000), Make: METADATA_MARK, Artist: '张三 13912345678' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '30/1 15/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '120/1 10/1 0/1' },
    })
    .jpeg({ quality: 85 })
    .toBuffer();
  const xmp = (n: number) =>
    jpegSegment(
      0xe1,
      Buffer.concat([
        Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'),
        Buffer.from(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>${`${METADATA_MARK}-${n} `.repeat(3200).slice(0, 60_000)}</rdf:Description></x:xmpmeta>`),
      ]),
    );
  const comment = jpegSegment(0xfe, Buffer.from(`${METADATA_MARK} comment`.repeat(100)));
  // Right after SOI (FF D8): more APPn segments and a comment, still a valid JPEG.
  return Buffer.concat([withExif.subarray(0, 2), xmp(1), xmp(2), comment, withExif.subarray(2)]);
}

/** The APPn/COM segments of a JPEG before its image data, as [marker, length]. */
export function jpegMetadataSegments(jpeg: Buffer): Array<{ marker: number; length: number }> {
  const segments: Array<{ marker: number; length: number }> = [];
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1];
    if (marker === 0xda) break; // start of scan: image data follows
    const length = jpeg.readUInt16BE(at + 2);
    if ((marker >= 0xe0 && marker <= 0xef) || marker === 0xfe) segments.push({ marker, length });
    at += 2 + length;
  }
  return segments;
}

// ---------------------------------------------------------------------------------------------
// Not images at all

/** A two-frame animated GIF, a real one sharp can read. */
export async function animatedGif(): Promise<Buffer> {
  const frame = (background: string) => sharp({ create: { width: 64, height: 48, channels: 3, background } }).png().toBuffer();
  return sharp([await frame('#c00'), await frame('#00c')], { join: { animated: true } })
    .gif({ loop: 0, delay: [300, 300] })
    .toBuffer();
}

export function svgWithScript(): Buffer {
  return Buffer.from(
    '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" onload="window.__pwned=1">' +
      '<script>window.__pwned=1;fetch("/api/auth/me")</script><text x="10" y="50">收据</text></svg>',
  );
}

export function htmlPage(): Buffer {
  return Buffer.from('<!doctype html><html><body><img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script></body></html>');
}

/** A minimal x86-64 Linux executable (ELF header, one program header, `exit(0)`). */
export function elfBinary(): Buffer {
  const code = Buffer.from([0xb8, 0x3c, 0, 0, 0, 0x31, 0xff, 0x0f, 0x05]); // mov eax,60; xor edi,edi; syscall
  const base = 0x400000;
  const header = Buffer.alloc(64);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(header, 0); // \x7fELF, 64-bit, little-endian, version 1
  header.writeUInt16LE(2, 16); // ET_EXEC
  header.writeUInt16LE(0x3e, 18); // x86-64
  header.writeUInt32LE(1, 20);
  header.writeBigUInt64LE(BigInt(base + 64 + 56), 24); // entry
  header.writeBigUInt64LE(64n, 32); // program headers right after this header
  header.writeUInt16LE(64, 52);
  header.writeUInt16LE(56, 54);
  header.writeUInt16LE(1, 56);
  const program = Buffer.alloc(56);
  program.writeUInt32LE(1, 0); // PT_LOAD
  program.writeUInt32LE(5, 4); // R + X
  program.writeBigUInt64LE(BigInt(base), 16);
  program.writeBigUInt64LE(BigInt(base), 24);
  program.writeBigUInt64LE(BigInt(64 + 56 + code.length), 32);
  program.writeBigUInt64LE(BigInt(64 + 56 + code.length), 40);
  program.writeBigUInt64LE(0x1000n, 48);
  return Buffer.concat([header, program, code]);
}

/** A one-page PDF with a correct cross-reference table. */
export function pdfDocument(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>',
    '<< /Length 0 >>\nstream\n\nendstream',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

// ---------------------------------------------------------------------------------------------
// JPEG/ZIP polyglot

/** Local file header signature: what a ZIP reader looks for. */
export const ZIP_LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * A ZIP archive (one stored file) whose offsets count from the start of `prefix`, so
 * `prefix + zip` is both a valid JPEG (readers stop at its end) and a valid ZIP (readers start
 * from the end-of-directory record at the back).
 */
export function zipAfter(prefix: Buffer, name: string, content: Buffer): Buffer {
  const fileName = Buffer.from(name);
  const crc = crc32(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(10, 4); // version needed
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(content.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const localOffset = prefix.length;
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(10, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(content.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  central.writeUInt32LE(localOffset, 42);
  const centralOffset = localOffset + local.length + fileName.length + content.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, fileName, content, central, fileName, end]);
}

/** The names in a ZIP's central directory, read from its end record (as unzip does). */
export function zipEntryNames(archive: Buffer): string[] {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) return [];
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(at) !== 0x02014b50) return names;
    const nameLength = archive.readUInt16LE(at + 28);
    names.push(archive.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
  }
  return names;
}

export const POLYGLOT_PAYLOAD = '<script>window.__pwned=1</script>';

export async function jpegZipPolyglot(seed: number): Promise<Buffer> {
  const jpeg = await photoJpeg(seed);
  return Buffer.concat([jpeg, zipAfter(jpeg, 'payload.html', Buffer.from(POLYGLOT_PAYLOAD))]);
}

// ---------------------------------------------------------------------------------------------
// Multipart written by hand

export interface RawPart {
  /** The field name; `files` unless said otherwise. */
  field?: string;
  /** Written into the part header as raw UTF-8 bytes, unescaped (only `"` would end it early). */
  filename: string;
  /** `filename*=UTF-8''…` (RFC 5987, percent-encoded) instead, as some HTTP libraries write it. */
  rfc5987?: boolean;
  data: Buffer;
  type?: string;
}

export const BOUNDARY = '----hostile-boundary-7d3f0a';

/** A multipart/form-data body whose file names are sent exactly as given. */
export function multipartBody(parts: RawPart[], boundary = BOUNDARY): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const name = part.rfc5987 ? `filename*=UTF-8''${encodeURIComponent(part.filename)}` : `filename="${part.filename}"`;
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.field ?? 'files'}"; `),
      Buffer.from(name, 'utf8'),
      Buffer.from(`\r\nContent-Type: ${part.type ?? 'image/jpeg'}\r\n\r\n`),
      part.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

// ---------------------------------------------------------------------------------------------
// A client that can stall

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  body: any;
  /** Milliseconds from the first byte sent to the whole answer read. */
  elapsedMs: number;
  /** Did the server close the connection after answering? */
  closed: boolean;
}

/**
 * Sends a POST whose body is written in `pieces`, waiting `pauseMs` before each piece after the
 * first; with `stallAfter` the client stops writing after that many pieces and just waits
 * (the request stays open, as a phone whose network dropped). The client itself gives up
 * after `giveUpMs`, so a server that never answers fails the test instead of hanging it.
 */
export function slowPost(
  baseUrl: string,
  urlPath: string,
  options: { headers: Record<string, string>; pieces: Buffer[]; pauseMs: number; stallAfter?: number; giveUpMs: number },
): Promise<RawResponse> {
  const url = new URL(urlPath, baseUrl);
  const total = options.pieces.reduce((n, p) => n + p.length, 0);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'POST', headers: { ...options.headers, 'Content-Length': String(total) }, agent: false });
    const giveUp = setTimeout(() => req.destroy(new Error(`the server did not answer within ${options.giveUpMs} ms`)), options.giveUpMs);
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const sendNext = () => {
      if (sent === options.pieces.length || sent === options.stallAfter || req.destroyed) return;
      req.write(options.pieces[sent++]);
      timer = setTimeout(sendNext, options.pauseMs);
    };
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(giveUp);
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        const socket = res.socket;
        // Give the server's FIN a moment to arrive.
        setTimeout(() => {
          const closed = !socket || socket.destroyed || socket.readyState === 'closed' || !socket.readable;
          req.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body, elapsedMs: Date.now() - started, closed });
        }, 50);
      });
    });
    req.on('error', (error) => {
      clearTimeout(giveUp);
      clearTimeout(timer);
      reject(error);
    });
    sendNext();
  });
}

// ---------------------------------------------------------------------------------------------
// What is on disk

/** Every file under `dir`, as paths relative to it (empty when the folder does not exist). */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

// ---------------------------------------------------------------------------------------------
// Hostile text

/** Markup that runs code if anyone ever puts it into the page as HTML; both set `window.__pwned`. */
export const IMG_ONERROR = '<img src=x onerror="window.__pwned=1">';
export const SCRIPT_TAG = '<script>window.__pwned=1</script>';
