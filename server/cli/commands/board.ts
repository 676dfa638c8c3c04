import fs from 'node:fs/promises';
import path from 'node:path';
import { isMonth } from '../../../shared/month';
import { need, UsageError, type Command } from '../command';

/** Loopback and private addresses: a QR code pointing there opens nothing on a villager's phone. */
const NOT_PUBLIC = /^https?:\/\/(localhost|127\.|0\.0\.0\.0|\[::1\]|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/i;

export const board: Command = {
  name: 'board',
  usage: 'board --village ID|村名|镇名/村名 --month YYYY-MM --out FILE.pdf',
  summary: "write a published month's A4 sheet for the village bulletin board (公开栏), with a QR code to the month's page",
  options: {
    village: { required: true, description: "the village: its id, its name, or 镇名/村名" },
    month: { required: true, description: 'the published month, e.g. 2026-10' },
    out: { required: true, description: 'the PDF file to write' },
  },
  async run({ services, config }, args, io) {
    const month = need(args, 'month');
    if (!isMonth(month)) throw new UsageError(`--month must be YYYY-MM, e.g. 2026-10（月份格式应为 YYYY-MM）, got "${month}"`);
    const out = path.resolve(need(args, 'out'));
    if (path.extname(out).toLowerCase() !== '.pdf') throw new UsageError('--out must name a .pdf file（输出文件应以 .pdf 结尾）');
    const dir = await fs.stat(path.dirname(out)).catch(() => null);
    if (!dir?.isDirectory()) throw new UsageError(`--out: folder ${path.dirname(out)} does not exist（文件夹不存在）`);

    const village = await services.directory.resolveVillage(need(args, 'village'));
    const sheet = await services.openData.boardPdf(village.id, month);
    // Written beside the target and renamed, so a reader never sees half a PDF.
    const partial = `${out}.${process.pid}.partial`;
    await fs.writeFile(partial, sheet.bytes);
    await fs.rename(partial, out);

    const link = services.openData.monthLink(village.id, month);
    io.out(`wrote ${out} (${Math.ceil(sheet.bytes.length / 1024)} KB): ${village.name} ${month}`);
    io.out(`QR code opens ${link}`);
    if (NOT_PUBLIC.test(config.publicBaseUrl))
      io.err(`warning: PUBLIC_BASE_URL is ${config.publicBaseUrl}; villagers' phones cannot open that. Set PUBLIC_BASE_URL to the address they use.（二维码指向本机地址，村民手机打不开，请设置 PUBLIC_BASE_URL）`);
  },
};
