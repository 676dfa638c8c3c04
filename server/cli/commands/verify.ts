import type { Command } from '../command';

export const verify: Command = {
  name: 'verify',
  usage: 'verify [--village ID|村名|镇名/村名]',
  summary: "recompute every village's chain (or one) and the sha256 of every published image in storage; exits 1 naming each mismatch",
  options: { village: { description: "only this village: its id, its name, or 镇名/村名" } },
  async run({ services }, args, io) {
    const village = args.village ? await services.directory.resolveVillage(args.village) : undefined;
    const report = await services.chainVerifier.verify(village?.id);
    for (const line of report.checked) io.out(line);
    for (const line of report.problems) io.err(`MISMATCH ${line}`);
    io.out(report.problems.length ? `verify: ${report.problems.length} mismatch(es)` : 'verify: everything matches');
    return report.problems.length ? 1 : 0;
  },
};
