export default definePageConfig({ navigationBarTitleText: '审核本月' })
