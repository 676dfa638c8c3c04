import Taro from '@tarojs/taro'
import { Button } from '@tarojs/components'
import { readUploadAnswer, type CancelSignal, type SendOutcome } from '../../lib/staff/upload-queue'

/** A photo chosen on the phone: WeChat hands out a temp file path. */
export interface PickedFile {
  name: string
  size: number
  path: string
}

/** 拍照或选照片: camera or album, several at once (WeChat allows up to 20 per pick). */
export function FilePicker({ onFiles, disabled }: { onFiles: (files: PickedFile[]) => void; disabled?: boolean }) {
  const pick = async () => {
    try {
      const res = await Taro.chooseMedia({ count: 20, mediaType: ['image'], sourceType: ['album', 'camera'], sizeType: ['original'] })
      onFiles(
        res.tempFiles.map((f, i) => ({ name: `照片 ${i + 1}`, size: f.size, path: f.tempFilePath })),
      )
    } catch {
      // The user closed the picker.
    }
  }
  return (
    <Button className='btn btn-primary t-strong pick-files' disabled={disabled || undefined} onClick={pick}>
      拍照或从相册选照片
    </Button>
  )
}

/** One file, one request (Taro.uploadFile), with progress and cancel. */
export function sendFile(target: { url: string; header: Record<string, string> }, file: PickedFile, onProgress: (fraction: number) => void, signal: CancelSignal): Promise<SendOutcome> {
  return new Promise((resolve, reject) => {
    const task = Taro.uploadFile({
      url: target.url,
      filePath: file.path,
      name: 'files',
      header: target.header,
      success: (res) => resolve(readUploadAnswer(res.statusCode, res.data)),
      fail: (err) => reject(err),
    })
    task.progress((p) => onProgress(p.progress / 100))
    signal.onCancel(() => task.abort())
  })
}
