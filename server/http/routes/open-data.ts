import Router from '@koa/router';
import type { ExportFile, OpenDataService } from '../../services/open-data-service';
import { contentDisposition } from '../content-disposition';
import { villageMonthParams } from '../params';
import { parseParams } from '../request-body';
import type { AppContext, AppState } from '../state';

function sendFile(ctx: AppContext, file: ExportFile, disposition: 'attachment' | 'inline'): void {
  ctx.type = file.contentType;
  ctx.set('Content-Disposition', contentDisposition(disposition, file.filename, file.asciiFilename));
  // A month can be amended: keep a copy if you like, but ask again.
  ctx.set('Cache-Control', 'public, no-cache');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.body = file.bytes;
}

/** Public, no login: a published month as a CSV file and as the printable bulletin-board sheet. */
export function openDataRoutes(openData: OpenDataService): Router<AppState> {
  const router = new Router<AppState>();

  router.get('/api/villages/:villageId/months/:month/export.csv', async (ctx) => {
    const { villageId, month } = parseParams(villageMonthParams, ctx.params);
    sendFile(ctx, await openData.monthCsv(villageId, month), 'attachment');
  });

  router.get('/api/villages/:villageId/months/:month/board.pdf', async (ctx) => {
    const { villageId, month } = parseParams(villageMonthParams, ctx.params);
    // Inline: it opens in the browser, ready to print.
    sendFile(ctx, await openData.boardPdf(villageId, month), 'inline');
  });

  // The QR code on printed sheets: it must keep working for as long as the paper hangs, so it
  // names only the village and month and leaves "is it published?" to the page it opens.
  router.get('/m/:villageId/:month', async (ctx) => {
    const { villageId, month } = parseParams(villageMonthParams, ctx.params);
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.redirect(openData.monthPagePath(villageId, month));
  });

  return router;
}
