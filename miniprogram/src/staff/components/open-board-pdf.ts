import Taro from '@tarojs/taro'
import { apiUrl } from '../../lib/config'

/** The printable bulletin-board sheet of a published month: a new tab in H5, WeChat's document viewer on a phone. */
export async function openBoardPdf(villageId: number, month: string): Promise<void> {
  const url = apiUrl(`/api/villages/${villageId}/months/${month}/board.pdf`)
  if (process.env.TARO_ENV === 'h5') {
    window.open(url, '_blank')
    return
  }
  const file = await Taro.downloadFile({ url })
  if (file.statusCode !== 200) throw new Error('公示单没有下载下来，请稍后再试')
  await Taro.openDocument({ filePath: file.tempFilePath, fileType: 'pdf', showMenu: true })
}
