import { z } from 'zod';

// Validation messages reach villagers and staff, so zod's built-in ones speak Chinese too.
z.config(z.locales.zhCN());

export { z };
