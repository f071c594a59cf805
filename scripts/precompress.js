// Writes a brotli (.br, quality 11) and a gzip (.gz, level 9) copy beside every
// text or wasm file of the built app, so the server can send them as they are
// (tower-http's precompressed files) instead of compressing per request.
//   node scripts/precompress.js dist
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const dir = process.argv[2] || 'dist';
const compressible = /\.(wasm|js|css|html|svg|txt|json)$/;
for (const name of fs.readdirSync(dir)) {
  if (!compressible.test(name)) continue;
  const file = path.join(dir, name);
  const raw = fs.readFileSync(file);
  fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(raw, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  }));
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(raw, { level: 9 }));
}
