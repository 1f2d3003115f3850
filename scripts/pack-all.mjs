// `npm run pack:all -- DIR [--platforms linux-x64,...|--host] [--no-build]`: writes the main
// package (fluxgate-cli) and one package per platform holding the prebuilt helper binaries
// (tools/kustomize-server and tools/helm-server, cross-compiled with Go) into DIR, as npm tarballs, reproducibly: the
// same commit and Go version give the same bytes (npm pack fixes mtimes and modes; Go builds with
// -trimpath and no VCS stamp).
//
// --host packs only this machine's platform package and takes its binary from the tools cache
// when scripts/install-tools.sh built it (same sources, same flags): what the tests use.
// --no-build packs dist/ as it is (the tests run after `npm run build`).
//
// The published package.json is the repository's without what only developers use: no scripts
// (npm 11 warns about a `prepare` script on every install), no devDependencies; with
// optionalDependencies on every platform package at the same version
// (https://docs.npmjs.com/cli/v11/configuring-npm/package-json#optionaldependencies).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--platforms');
if (positional.length !== 1) {
  console.error('usage: npm run pack:all -- DIR [--platforms linux-x64,...|--host] [--no-build]');
  process.exit(2);
}
const out = path.resolve(positional[0]);
const log = (line) => process.stderr.write(`pack: ${line}\n`);
const run = (file, argv, options = {}) =>
  execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...options });

if (!flag('--no-build')) {
  // A clean build: nothing left over from an older one goes into the package.
  rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  run('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}
const { PLATFORMS, BUNDLED_TOOLS, MAIN_PACKAGE, platformPackageName, executableName, hostPlatform } =
  await import(path.join(root, 'dist/tools/platform-package.js'));

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const { version } = pkg;
const platforms = flag('--host')
  ? [hostPlatform()]
  : (option('--platforms')?.split(',') ?? Object.keys(PLATFORMS));
for (const p of platforms) if (!(p in PLATFORMS)) throw new Error(`unknown platform ${p}`);
mkdirSync(out, { recursive: true });
const staging = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-pack-'));

/** `npm pack` of a staged directory into DIR; returns the tarball's name. */
function pack(dir) {
  const name = run('npm', ['pack', '--silent', '--pack-destination', out], { cwd: dir })
    .trim()
    .split('\n')
    .at(-1);
  log(`${name} (${(readFileSync(path.join(out, name)).length / 1024 / 1024).toFixed(1)} MB)`);
  return name;
}

/** The pinned helper for one platform: from the tools cache (host only), else built with Go. */
function helper(tool, platform, dest) {
  const { goos, goarch } = PLATFORMS[platform];
  if (flag('--host') && platform === hostPlatform()) {
    // --check exits 1 when any tool is missing; the paths are printed all the same.
    const line = spawnSync('bash', [path.join(root, 'scripts/install-tools.sh'), '--check', '--print'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .stdout.split('\n')
      .find((l) => l.startsWith(`${tool}=`));
    const cached = line?.slice(tool.length + 1);
    if (cached && existsSync(cached)) {
      copyFileSync(cached, dest);
      return;
    }
  }
  // The flags of scripts/install-tools.sh, so the host's binary equals the tools cache's.
  log(`go build ${tool} for ${goos}/${goarch}`);
  const env = {
    ...process.env,
    GOOS: goos,
    GOARCH: goarch,
    CGO_ENABLED: '0',
    GOWORK: 'off',
    GO111MODULE: 'on',
  };
  env.GOTOOLCHAIN ??= 'local';
  env.GOFLAGS = (env.GOFLAGS ?? '')
    .split(/\s+/)
    .filter((f) => f && !f.startsWith('-mod='))
    .join(' ');
  run('go', ['build', '-mod=readonly', '-trimpath', '-buildvcs=false', '-ldflags=-s -w', '-o', dest, '.'], {
    cwd: path.join(root, 'tools', tool),
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

const repository = pkg.repository;
const license = pkg.license;
const versions = readFileSync(path.join(root, 'tools/versions.env'), 'utf8');
const kustomize = /^KUSTOMIZE_VERSION=(.*)$/m.exec(versions)?.[1];
const helm = /^HELM_VERSION=(.*)$/m.exec(versions)?.[1];
for (const platform of platforms) {
  const { os: nodeOs, cpu } = PLATFORMS[platform];
  const dir = path.join(staging, platform);
  mkdirSync(path.join(dir, 'bin'), { recursive: true });
  for (const tool of BUNDLED_TOOLS) {
    const dest = path.join(dir, 'bin', executableName(tool, platform));
    helper(tool, platform, dest);
    chmodSync(dest, 0o755);
  }
  const name = platformPackageName(platform);
  writeFileSync(
    path.join(dir, 'package.json'),
    `${JSON.stringify(
      {
        name,
        version,
        description: `fluxgate's helper binaries for ${platform} (kustomize ${kustomize} and Helm ${helm}, those Flux embeds); installed by ${MAIN_PACKAGE}`,
        license,
        repository,
        os: [nodeOs],
        cpu: [cpu],
        files: ['bin'],
        preferUnplugged: true,
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(
    path.join(dir, 'README.md'),
    `# ${name}\n\nThe ${platform} build of the helper binaries of [${MAIN_PACKAGE}](https://www.npmjs.com/package/${MAIN_PACKAGE}): \`kustomize-server\`, built with the kustomize API of kustomize ${kustomize}, and \`helm-server\`, built with the Helm SDK ${helm} (those Flux embeds). Installed by ${MAIN_PACKAGE} as an optional dependency; not meant to be used alone.\n`,
  );
  copyFileSync(path.join(root, 'LICENSE'), path.join(dir, 'LICENSE'));
  pack(dir);
}

// The main package: what runs, nothing else (no Go sources, no tests, no source maps).
const main = path.join(staging, MAIN_PACKAGE);
mkdirSync(main);
const keep = (src) => !src.endsWith('.map') && !src.endsWith('.tsbuildinfo');
for (const entry of ['bin', 'dist', 'policies', 'schemas', 'README.md', 'LICENSE', 'CHANGELOG.md'])
  cpSync(path.join(root, entry), path.join(main, entry), { recursive: true, filter: keep });
mkdirSync(path.join(main, 'tools'));
copyFileSync(path.join(root, 'tools/versions.env'), path.join(main, 'tools/versions.env'));
const published = { ...pkg };
delete published.scripts;
delete published.devDependencies;
published.files = ['bin', 'dist', 'policies', 'schemas', 'tools/versions.env', 'CHANGELOG.md'];
published.optionalDependencies = Object.fromEntries(
  Object.keys(PLATFORMS).map((p) => [platformPackageName(p), version]),
);
writeFileSync(path.join(main, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);
pack(main);
rmSync(staging, { recursive: true, force: true });
