// A separate process (the tests block their own event loop in spawnSync while npm runs): an npm
// registry on 127.0.0.1 that serves fluxgate's packed tarballs under their real names and
// passes every other request through to the npm registry, so the README's commands
// (`npm i -D fluxgate-cli`, pre-commit's `additional_dependencies`, `npx`) run exactly as written
// against packages that are not published. The packument shape is the registry's
// (https://github.com/npm/registry/blob/main/docs/responses/package-metadata.md).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

const UPSTREAM = 'https://registry.npmjs.org';

/** package.json of a tarball (the first entry named package/package.json). */
function manifestOf(tarball) {
  const tar = gunzipSync(tarball);
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const name = tar
      .subarray(offset, offset + 100)
      .toString('utf8')
      .replace(/\0.*$/s, '');
    const size = Number.parseInt(
      tar
        .subarray(offset + 124, offset + 136)
        .toString('utf8')
        .trim() || '0',
      8,
    );
    if (name === '') break;
    if (name === 'package/package.json')
      return JSON.parse(tar.subarray(offset + 512, offset + 512 + size).toString('utf8'));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error('no package/package.json in tarball');
}

const tarballDir = process.argv[2];
{
  const packages = new Map();
  for (const file of readdirSync(tarballDir).filter((f) => f.endsWith('.tgz'))) {
    const bytes = readFileSync(path.join(tarballDir, file));
    const manifest = manifestOf(bytes);
    packages.set(String(manifest.name), { manifest, file, bytes });
  }

  let base = '';
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(req.url ?? '/');
    const [, name, tarball] = /^\/((?:@[^/]+\/)?[^/]+)(?:\/-\/(.+))?$/.exec(url) ?? [];
    const ours = name ? packages.get(name) : undefined;
    if (ours) {
      if (tarball) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(ours.bytes);
        return;
      }
      const version = String(ours.manifest.version);
      const integrity = `sha512-${createHash('sha512').update(ours.bytes).digest('base64')}`;
      const shasum = createHash('sha1').update(ours.bytes).digest('hex');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          name,
          'dist-tags': { latest: version },
          versions: {
            [version]: {
              ...ours.manifest,
              _id: `${name}@${version}`,
              dist: { tarball: `${base}/${name}/-/${ours.file}`, integrity, shasum },
            },
          },
        }),
      );
      return;
    }
    // Everything else (fluxgate's dependencies, husky, lint-staged) comes from the npm registry.
    fetch(`${UPSTREAM}${req.url}`, { headers: { accept: req.headers.accept ?? '*/*' } })
      .then(async (upstream) => {
        const body = Buffer.from(await upstream.arrayBuffer());
        res.writeHead(upstream.status, {
          'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream',
        });
        res.end(body);
      })
      .catch((error) => {
        res.writeHead(502);
        res.end(String(error));
      });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  base = `http://127.0.0.1:${port}`;
  process.stdout.write(`listening ${base}/\n`);
  // Stops with its parent (the test run): its standard input closes.
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}
