import path from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import devConfig from './dev'
import prodConfig from './prod'

/** The repo's top-level `shared/` folder (TypeScript shared with the server), imported as `@shared/...`. */
const sharedDir = path.resolve(__dirname, '..', '..', 'shared')

/**
 * Code outside src/ that Babel must also transpile (by default Taro only transpiles src/ and its own packages).
 * zod is deliberately NOT listed: untranspiled it adds about 140 KB of ES2020 (`?.`, `??`) to weapp app.js when a
 * runtime value from a zod-based shared module is imported; transpiled to this package's browserslist it pulls in
 * every zod locale (about 520 KB). Prefer type-only imports from shared/schemas in the app.
 */
const compileInclude = [sharedDir]

/** `API_BASE_URL` (build time): '' means same origin (the H5 build served by the Koa server). No trailing slash. */
const apiBaseUrl = (process.env.API_BASE_URL ?? '').trim().replace(/\/+$/, '')

/**
 * WeChat appid for the generated `dist/weapp/project.config.json`, from `WEAPP_APPID`.
 * Taro's own generator reads `TARO_APP_ID`, so we feed it from here.
 */
process.env.TARO_APP_ID = (process.env.WEAPP_APPID ?? '').trim() || 'touristappid'

const platform = process.env.TARO_ENV || 'weapp'

/**
 * `TARO_OUTPUT_ROOT` (absolute, or relative to miniprogram/) replaces `dist/<platform>`, so tests can build into a
 * folder of their own while another build writes dist/. Kept relative: the H5 runner `path.join`s it onto the app dir.
 */
const appDir = path.resolve(__dirname, '..')
const outputOverride = (process.env.TARO_OUTPUT_ROOT ?? '').trim()
const outputRoot = outputOverride ? path.relative(appDir, path.resolve(appDir, outputOverride)) : `dist/${platform}`

export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'yiyanming',
    date: '2026-11-30',
    designWidth: 750,
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    outputRoot,
    plugins: [],
    defineConstants: {
      __API_BASE_URL__: JSON.stringify(apiBaseUrl),
    },
    alias: {
      '@shared': sharedDir,
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    mini: {
      compile: { include: compileInclude },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'browser' },
      compile: { include: compileInclude },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      devServer: {
        host: '127.0.0.1',
        port: 10086,
        // `npm run dev:h5` talks to a locally running Koa server on :3000.
        proxy: [{ context: ['/api'], target: 'http://127.0.0.1:3000' }],
      },
    },
  }

  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig)
  }
  return merge({}, baseConfig, prodConfig)
})
