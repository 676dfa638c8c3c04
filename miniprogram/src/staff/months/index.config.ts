export default definePageConfig({ navigationBarTitleText: '本村账目' })
