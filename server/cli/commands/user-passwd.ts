import { need, type Command } from '../command';

export const userPasswd: Command = {
  name: 'user:passwd',
  usage: 'user:passwd --username NAME --password NEWPASS',
  summary: "set a staff member's password (signs out their existing sessions)",
  options: {
    username: { required: true, description: 'the account' },
    password: { required: true, description: 'the new password, at least 8 characters' },
  },
  async run({ services }, args, io) {
    await services.users.changePassword(need(args, 'username'), need(args, 'password'), null);
    io.out(`password changed for ${args.username}`);
  },
};
