import { CreateUserRequest, UserList, UserResponse } from '../components';
import { errorResponse } from '../responses';
import { route, type RouteSpec } from '../route-spec';

export const userRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/api/admin/users',
    operationId: 'listUsers',
    summary: 'Every staff account',
    tag: 'users',
    auth: 'admin',
    responses: { 200: { description: 'The accounts.', json: UserList } },
  }),
  route({
    method: 'post',
    path: '/api/admin/users',
    operationId: 'createUser',
    summary: 'Create a staff account',
    description: 'Accountants belong to a village (`villageId`), officials to a town (`townId`), admins to neither.',
    tag: 'users',
    auth: 'admin',
    body: { json: CreateUserRequest },
    responses: {
      201: { description: 'The account, created.', json: UserResponse },
      409: errorResponse(409, 'The username is taken (`conflict`).'),
    },
  }),
];
