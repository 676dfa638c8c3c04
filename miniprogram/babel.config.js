// babel-preset-taro options: https://docs.taro.zone/docs/next/babel-config
// A project-wide config (babel.config.js, not .babelrc), so it also applies to ../shared.
module.exports = {
  presets: [
    ['taro', {
      framework: 'react',
      ts: true,
      compiler: 'webpack5',
    }],
  ],
}
