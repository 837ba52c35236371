// sharp_variants.mjs — the sharp reference for bench/scan.sh: the media server's three variants
// of every photo, from one decode.
//
//   node sharp_variants.mjs OUTDIR FILE...
//
// For each file, as `tessera scan` makes them:
//   decode once (auto-rotated, shrink-on-load) to raw pixels fitting inside 4096x1080, never
//   enlarged; from that buffer:
//     thumbnails_big           the buffer itself as JPEG q85
//     square_thumbnails        500x500, cover, attention crop, JPEG q85
//     small_square_thumbnails  250x250, cover, attention crop, JPEG q80
//
// Two files in flight (BENCH_JOBS, default 2), each on one libvips thread (sharp.concurrency(1)),
// the same parallelism as `tessera scan --workers 2` (whose libvips runs one thread per call).
// Prints "<files> files <seconds> s" measured inside node; the caller times the whole process.
import sharp from 'sharp';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';

const [outDir, ...files] = process.argv.slice(2);
if (!outDir || files.length === 0) {
  console.error('usage: node sharp_variants.mjs OUTDIR FILE...');
  process.exit(2);
}
const jobs = Number(process.env.BENCH_JOBS || 2);
sharp.concurrency(1);
sharp.cache(false);  // every file is seen once; the cache would only hold memory

const stem = (f) => path.basename(f, path.extname(f));
const square = { fit: 'cover', position: sharp.strategy.attention };

async function variants(file) {
  const { data, info } = await sharp(file)
    .rotate()
    .resize(4096, 1080, { fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  const out = (kind) => path.join(outDir, `${stem(file)}-${kind}.jpg`);
  // One after another: a file is one task in flight, as in one tessera worker.
  await sharp(data, raw).jpeg({ quality: 85 }).toFile(out('big'));
  await sharp(data, raw).resize(500, 500, square).jpeg({ quality: 85 }).toFile(out('square'));
  await sharp(data, raw).resize(250, 250, square).jpeg({ quality: 80 }).toFile(out('small'));
}

await mkdir(outDir, { recursive: true });
const start = process.hrtime.bigint();
let next = 0;
let failed = 0;
async function worker() {
  while (next < files.length) {
    const file = files[next++];
    try {
      await variants(file);
    } catch (err) {
      failed++;
      console.error(`sharp: ${file}: ${err.message}`);
    }
  }
}
await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, worker));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`${files.length - failed} files ${seconds.toFixed(3)} s`);
process.exit(failed ? 1 : 0);
