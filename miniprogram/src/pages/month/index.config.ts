export default definePageConfig({
  navigationBarTitleText: '本月收据',
  enableShareAppMessage: true,
})
