/**
 * The baseline of bench/read: the leanest HTTP server Node has, answering every request with
 * fixed bytes and the same headers the API sends (gzip bytes to clients that take gzip).
 * No framework, no database, no logging.
 * Usage: node static-server.ts FILE ETAG GZIP_FILE GZIP_ETAG (prints the URL once listening).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const [file, etag, gzFile, gzEtag] = process.argv.slice(2);
const plain = { bytes: fs.readFileSync(file), etag, encoding: {} };
const gzip = { bytes: fs.readFileSync(gzFile), etag: gzEtag, encoding: { 'Content-Encoding': 'gzip' } };
const server = http.createServer((req, res) => {
  const chosen = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '') ? gzip : plain;
  if (req.headers['if-none-match'] === chosen.etag) {
    res.writeHead(304, { ETag: chosen.etag });
    res.end();
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': chosen.bytes.length,
    ETag: chosen.etag,
    'Cache-Control': 'public, no-cache',
    Vary: 'Accept-Encoding',
    ...chosen.encoding,
  });
  res.end(chosen.bytes);
});
server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
