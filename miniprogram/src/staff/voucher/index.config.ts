export default definePageConfig({ navigationBarTitleText: '核对凭证' })
