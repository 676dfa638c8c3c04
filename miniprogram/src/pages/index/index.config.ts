export default definePageConfig({
  navigationBarTitleText: '一眼明',
})
