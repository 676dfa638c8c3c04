import type { ParameterizedContext } from 'koa';
import type { User } from '../../shared/schemas/users';
import type { Logger } from '../logger';

export interface AppState {
  requestId: string;
  log: Logger;
  /** Set by `requireUser` for staff routes. */
  user?: User;
}

export type AppContext = ParameterizedContext<AppState>;
