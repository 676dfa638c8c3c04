export * from './month';
export * from './money';
export * from './schemas/errors';
export * from './schemas/users';
export * from './schemas/auth';
export * from './schemas/directory';
export * from './schemas/months';
export * from './schemas/health';
