import { LoginRequest, LoginResponse, MeResponse } from '../components';
import { errorResponse, errorResponses } from '../responses';
import { route, type RouteSpec } from '../route-spec';

export const authRoutes: RouteSpec[] = [
  route({
    method: 'post',
    path: '/api/auth/login',
    operationId: 'login',
    summary: 'Log in with username and password; returns a bearer token',
    tag: 'auth',
    auth: 'public',
    body: { json: LoginRequest },
    responses: {
      200: { description: 'Logged in: the token, when it expires, and the account.', json: LoginResponse },
      401: errorResponse(401, 'Wrong username or password, or the account is disabled (`unauthorized`).'),
      ...errorResponses(429),
    },
  }),
  route({
    method: 'get',
    path: '/api/me',
    operationId: 'getMe',
    summary: 'The account the token belongs to',
    tag: 'auth',
    auth: 'staff',
    responses: { 200: { description: 'The current account.', json: MeResponse } },
  }),
];
