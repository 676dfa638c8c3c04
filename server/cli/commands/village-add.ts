import { need, type Command } from '../command';

export const villageAdd: Command = {
  name: 'village:add',
  usage: 'village:add --town ID|镇名 --name 村名',
  summary: 'add a village to a town',
  options: {
    town: { required: true, description: "the town's id or name" },
    name: { required: true, description: 'the village name, e.g. 东岗村' },
  },
  async run({ services }, args, io) {
    const village = await services.directory.addVillage(need(args, 'town'), need(args, 'name'));
    io.out(`created village ${village.name} (id ${village.id}) in town ${village.townId}`);
  },
};
