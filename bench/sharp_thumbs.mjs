// sharp_thumbs.mjs — the sharp reference for bench/compare.sh.
//
//   node sharp_thumbs.mjs one|four OUTDIR FILE...
//
//   one   one 256 px PNG per file:
//         sharp(file).rotate().resize(256, 256, {fit: 'inside', withoutEnlargement: true}).png()
//   four  the four freedesktop sizes, decoding each file once: decode (auto-rotated) to raw
//         pixels at 1024 fit-inside, then make 1024/512/256/128 PNGs from that buffer.
//
// Two files in flight (BENCH_JOBS, default 2), each on one libvips thread (sharp.concurrency(1)),
// the same parallelism as `tessera thumbnail -j 2`. Prints "<files> files <seconds> s" measured
// inside node (the caller also times the whole process, start-up included).
import sharp from 'sharp';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';

const [mode, outDir, ...files] = process.argv.slice(2);
if (!['one', 'four'].includes(mode) || !outDir || files.length === 0) {
  console.error('usage: node sharp_thumbs.mjs one|four OUTDIR FILE...');
  process.exit(2);
}
const jobs = Number(process.env.BENCH_JOBS || 2);
sharp.concurrency(1);
sharp.cache(false);  // every file is seen once; the cache would only hold memory

const inside = { fit: 'inside', withoutEnlargement: true };
const stem = (f) => path.basename(f, path.extname(f));

async function one(file) {
  await sharp(file).rotate().resize(256, 256, inside).png()
    .toFile(path.join(outDir, `${stem(file)}.png`));
}

async function four(file) {
  const { data, info } = await sharp(file).rotate().resize(1024, 1024, inside).raw()
    .toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  for (const size of [1024, 512, 256, 128]) {
    await sharp(data, raw).resize(size, size, inside).png()
      .toFile(path.join(outDir, `${stem(file)}-${size}.png`));
  }
}

await mkdir(outDir, { recursive: true });
const work = mode === 'one' ? one : four;
const start = process.hrtime.bigint();
let next = 0;
let failed = 0;
async function worker() {
  while (next < files.length) {
    const file = files[next++];
    try {
      await work(file);
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
