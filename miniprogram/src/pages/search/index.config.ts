export default definePageConfig({
  navigationBarTitleText: '查找收据',
})
