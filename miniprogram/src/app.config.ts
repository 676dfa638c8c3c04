/**
 * Staff pages (upload, review) come in the next issue as a WeChat subpackage, so villagers never
 * download them: add `{ root: 'staff', pages: [...] }` here. Empty until then.
 */
const staffSubPackages: { root: string; name?: string; pages: string[] }[] = []

export default defineAppConfig({
  pages: ['pages/index/index', 'pages/village/index', 'pages/month/index', 'pages/receipt/index', 'pages/search/index'],
  subPackages: staffSubPackages,
  window: {
    backgroundTextStyle: 'dark',
    backgroundColor: '#ffffff',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '一眼明',
    navigationBarTextStyle: 'black',
  },
})
