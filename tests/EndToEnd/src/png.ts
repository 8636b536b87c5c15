// A small PNG encoder, so the journey draws its own "photo": 8-bit RGB, one zlib IDAT of unfiltered rows.
import { deflateSync } from "node:zlib";

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const typed = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  typed.copy(out, 4);
  out.writeUInt32BE(crc32(typed), 8 + data.length);
  return out;
}

export type Rgb = readonly [number, number, number];

/** A width × height PNG whose pixel (x, y) is pixel(x, y). */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgb): Uint8Array<ArrayBuffer> {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // colour type: RGB
  const rows = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0, at = 0; y < height; y++) {
    rows[at++] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      rows[at++] = r;
      rows[at++] = g;
      rows[at++] = b;
    }
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const png = Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", new Uint8Array(0))]);
  const bytes = new Uint8Array(png.length);
  bytes.set(png);
  return bytes;
}

/** An orange mug-like shape (a wide disc with a handle) on a plain light-grey background. */
export function drawObjectOnPlainBackground(size = 96): Uint8Array<ArrayBuffer> {
  const centre = size / 2;
  return encodePng(size, size, (x, y) => {
    const body = (x - centre) ** 2 + (y - centre) ** 2 <= (size * 0.3) ** 2;
    const handle = x > centre + size * 0.28 && x < centre + size * 0.42 && Math.abs(y - centre) < size * 0.12;
    return body || handle ? [230, 120, 30] : [235, 235, 235];
  });
}
