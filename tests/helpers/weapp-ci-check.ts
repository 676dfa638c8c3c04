/**
 * Runs miniprogram-ci's local checks on mini-program folders and prints one JSON line (`CI-RESULT {...}`).
 * Meant to run in its own process under tests/helpers/processes/deny-network.cjs (see weapp-ci.test.ts):
 * miniprogram-ci forks a compiler process, keeps file watchers alive and asks WeChat's servers for things,
 * none of which may leak into or hang the jest worker.
 *
 * Usage: WEAPP_CI_SCRATCH=DIR node --require deny-network.cjs --import tsx weapp-ci-check.ts PROJECT_DIR...
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface CiRequest {
  url: string;
}

export interface CiDirResult {
  dir: string;
  /** null when getCompiledResult succeeded. */
  compileError: { code: unknown; message: string } | null;
  compiledFiles: string[];
  /** `modules[].errors` and the deps' `error` of analyseCode. */
  analyseErrors: string[];
  analysedModules: number;
}

export interface CiCheckOutput {
  results: CiDirResult[];
  /** URLs miniprogram-ci's HTTP helper was asked for; each was refused without touching the network. */
  requests: CiRequest[];
}

async function main(dirs: string[]): Promise<void> {
  const requests: CiRequest[] = [];
  // miniprogram-ci calls its HTTP helper through the module's exports, so replacing them here covers every caller.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const http = require('miniprogram-ci/dist/utils/request') as Record<string, unknown>;
  for (const name of ['request', 'simpleRequest']) {
    http[name] = async (options: { url?: string } | string) => {
      requests.push({ url: typeof options === 'string' ? options : String(options?.url) });
      throw new Error('offline test: network requests are refused');
    };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ci = require('miniprogram-ci') as any;

  // A key file must exist; only upload/preview sign with it. In the caller's scratch folder, which it removes.
  const privateKeyPath = path.join(process.env.WEAPP_CI_SCRATCH ?? os.tmpdir(), `private.touristappid.${process.pid}.key`);
  fs.writeFileSync(privateKeyPath, '-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----\n');

  const results: CiDirResult[] = [];
  try {
    for (const dir of dirs) {
      const project = new ci.Project({
        appid: 'touristappid',
        type: 'miniProgram',
        projectPath: dir,
        privateKeyPath,
        ignores: ['node_modules/**/*'],
        // Without it the project asks WeChat's server for the app's attributes (error 20001 offline).
        attr: async () => ({ ...ci.DefaultProjectAttr }),
      });
      const result: CiDirResult = { dir, compileError: null, compiledFiles: [], analyseErrors: [], analysedModules: 0 };
      try {
        const compiled = (await ci.getCompiledResult({ project, setting: {} })) as Record<string, unknown>;
        result.compiledFiles = Object.keys(compiled).sort();
      } catch (err) {
        const e = err as { code?: unknown; message?: string };
        result.compileError = { code: e?.code ?? null, message: String(e?.message ?? err) };
      }
      const analysis = (await ci.analyseCode(project, { silent: true })) as
        | { modules: { id: string; errors?: unknown[]; deps?: { request?: string; error?: unknown }[] }[] }
        | undefined;
      if (!analysis) result.analyseErrors.push('analyseCode returned nothing');
      for (const mod of analysis?.modules ?? []) {
        for (const error of mod.errors ?? []) result.analyseErrors.push(`${mod.id}: ${typeof error === 'string' ? error : JSON.stringify(error)}`);
        for (const dep of mod.deps ?? []) if (dep.error) result.analyseErrors.push(`${mod.id} → ${dep.request}: ${String(dep.error)}`);
      }
      result.analysedModules = analysis?.modules.length ?? 0;
      results.push(result);
    }
  } finally {
    fs.rmSync(privateKeyPath, { force: true });
  }
  const output: CiCheckOutput = { results, requests };
  process.stdout.write(`\nCI-RESULT ${JSON.stringify(output)}\n`);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    // miniprogram-ci leaves watchers and a forked compiler behind: exit explicitly.
    () => process.exit(0),
    (err) => {
      process.stderr.write(`weapp-ci-check failed: ${(err as Error)?.stack ?? err}\n`);
      process.exit(1);
    },
  );
}
