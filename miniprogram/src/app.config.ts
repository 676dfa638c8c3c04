/**
 * Staff pages (login, upload, review) are a WeChat subpackage, so villagers never download them.
 * Their addresses are in lib/staff/staff-session.ts (STAFF_PAGES).
 */
const staffSubPackages = [
  { root: 'staff', name: 'staff', pages: ['login/index', 'months/index', 'upload/index', 'voucher/index', 'review/index', 'review-month/index'] },
]

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
