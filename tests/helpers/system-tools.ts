import { spawnSync } from 'node:child_process';

/**
 * Tests that need a Debian tool run wherever it is installed and always under CI
 * (.ci/run installs it); elsewhere they are skipped with the package to install named.
 */
export function systemToolAvailable(command: string, debianPackage: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
  if (!found && process.env.CI === 'true') throw new Error(`CI=true but "${command}" is missing: apt-get install ${debianPackage}`);
  return found;
}
