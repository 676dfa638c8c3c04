import { ROLES, type Role } from '../../../shared/schemas/users';
import { need, UsageError, type Command } from '../command';

export const userAdd: Command = {
  name: 'user:add',
  usage: 'user:add --username NAME --password PASS --role accountant|official|admin [--village ID|村名|镇名/村名] [--town ID|镇名] [--name 显示名]',
  summary: 'create a staff account',
  options: {
    username: { required: true, description: 'login name (lower-case letters, digits, . _ -)' },
    password: { required: true, description: 'at least 8 characters' },
    role: { required: true, description: ROLES.join(' | ') },
    village: { description: 'the village of an accountant' },
    town: { description: 'the town of an official' },
    name: { description: 'display name (defaults to the username)' },
  },
  async run({ services }, args, io) {
    const role = need(args, 'role');
    if (!(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    const villageId = args.village ? (await services.directory.resolveVillage(args.village)).id : undefined;
    const townId = args.town ? (await services.directory.resolveTown(args.town)).id : undefined;
    const user = await services.users.createUser(
      {
        username: need(args, 'username'),
        password: need(args, 'password'),
        displayName: args.name ?? need(args, 'username'),
        role: role as Role,
        villageId,
        townId,
      },
      null,
    );
    io.out(`created ${user.role} ${user.username} (id ${user.id})`);
  },
};
