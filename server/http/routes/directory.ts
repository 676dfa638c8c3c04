import Router from '@koa/router';
import type { TownList } from '../../../shared/schemas/directory';
import type { DirectoryService } from '../../services/directory-service';
import { jsonSnapshot } from '../../services/public/json-snapshot';
import { sendSnapshot } from '../conditional';
import type { AppState } from '../state';

/** Public: every town with its villages, for the villagers' picker. */
export function directoryRoutes(directory: DirectoryService): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/api/towns', async (ctx) => {
    const body: TownList = { towns: await directory.listTowns() };
    sendSnapshot(ctx, jsonSnapshot(body));
  });
  return router;
}
