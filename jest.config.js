/** Tests run the TypeScript sources through swc; types are checked by `npm run typecheck`. */
module.exports = {
  testEnvironment: '<rootDir>/tests/helpers/node-environment.js',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 60000,
  maxWorkers: 2,
};
