import type { Command } from '../command';

export const demoSeed: Command = {
  name: 'demo:seed',
  usage: 'demo:seed',
  summary: 'fill an empty database with demo towns, villages, accounts and months of receipts (prints the passwords once)',
  options: {},
  async run({ services }, _args, io) {
    const credentials = await services.demoSeed.seedIfEmpty();
    if (!credentials) {
      io.err('the database already has towns or users; demo data is only added to an empty database');
      return 1;
    }
    for (const c of credentials) io.out(`${c.role}\t${c.username}\t${c.password}\t${c.displayName}\t${c.scope}`);
  },
};
