// The Debian packages the commands need, checked before they do anything else.
// Node builtins only: `npm test` and `npm start` check these before node_modules exists.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = '/usr/bin/chromium';

function which(cmd) {
  const result = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** What each package gives us, and how to tell it is there. */
const PACKAGES = {
  // code-server's search and quick open use ripgrep; the binary it would download is out of reach offline.
  ripgrep: { why: 'search and quick open in code-server', present: () => Boolean(which('rg')) },
  // gssapi.h lets code-server's native kerberos module build during its install.
  'libkrb5-dev': {
    why: "building code-server's native modules on first use",
    present: () => existsSync('/usr/include/gssapi/gssapi.h') || existsSync('/usr/include/gssapi.h'),
  },
  // The browser the VS Code suites and the smoke check drive through playwright-core.
  chromium: { why: 'the browser the VS Code suites drive', present: () => existsSync(CHROMIUM_PATH) },
};

/** The path of ripgrep, for seeding code-server's download cache. */
export function ripgrepPath() {
  return which('rg');
}

/**
 * Makes sure `names` are installed. Missing ones are installed with apt-get
 * when this runs as root on Debian/Ubuntu; otherwise the exact command is
 * printed and the process exits with status 2.
 * @param {string[]} names keys of PACKAGES
 * @param {string} command what needs them, for the messages (e.g. "npm test")
 */
export function requireSystemPackages(names, command) {
  const missing = names.filter((name) => !PACKAGES[name].present());
  if (missing.length === 0) return;
  const list = missing.join(' ');
  const reasons = missing.map((name) => `  ${name}: ${PACKAGES[name].why}`).join('\n');
  const isRoot = process.getuid?.() === 0;
  const hasApt = Boolean(which('apt-get'));

  if (isRoot && hasApt) {
    console.log(`[setup] ${command} needs ${list}; installing with apt-get:\n${reasons}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [['update'], ['install', '-y', ...missing]]) {
      const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
      if (result.status !== 0) {
        console.error(`[setup] apt-get ${args.join(' ')} failed (exit ${result.status})`);
        process.exit(2);
      }
    }
    const still = missing.filter((name) => !PACKAGES[name].present());
    if (still.length) {
      console.error(`[setup] still missing after apt-get: ${still.join(' ')}`);
      process.exit(2);
    }
    console.log(`[setup] installed ${list}`);
    return;
  }

  const sudo = isRoot ? '' : 'sudo ';
  const install = hasApt
    ? `${sudo}apt-get update && ${sudo}apt-get install -y ${list}`
    : `install the Debian/Ubuntu packages ${list} (or your system's equivalents)`;
  console.error(`${command} needs system packages that are missing:\n${reasons}\nInstall them with:\n  ${install}`);
  process.exit(2);
}
