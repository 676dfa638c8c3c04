import { need, type Command } from '../command';

export const townAdd: Command = {
  name: 'town:add',
  usage: 'town:add --name 镇名',
  summary: 'add a town',
  options: { name: { required: true, description: 'the town name, e.g. 新街镇' } },
  async run({ services }, args, io) {
    const town = await services.directory.addTown(need(args, 'name'));
    io.out(`created town ${town.name} (id ${town.id})`);
  },
};
