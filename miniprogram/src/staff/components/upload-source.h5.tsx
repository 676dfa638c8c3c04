import { useRef, useState } from 'react'
import { readUploadAnswer, type CancelSignal, type SendOutcome } from '../../lib/staff/upload-queue'

/** A file chosen in the browser. */
export interface PickedFile {
  name: string
  size: number
  file: File
}

const ACCEPT = 'image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif'

/** H5: a file picker with several files at once, and a box to drop files on. */
export function FilePicker({ onFiles, disabled }: { onFiles: (files: PickedFile[]) => void; disabled?: boolean }) {
  const input = useRef<HTMLInputElement | null>(null)
  const [over, setOver] = useState(false)
  const take = (list: FileList | null) => {
    if (!list || list.length === 0) return
    onFiles(Array.from(list).map((file) => ({ name: file.name, size: file.size, file })))
  }
  return (
    <div
      className={`drop-zone${over ? ' is-over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault()
        setOver(true)
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault()
        setOver(false)
        if (!disabled) take(e.dataTransfer.files)
      }}
    >
      <label className='btn btn-primary t-strong pick-files'>
        选择照片（可以一次选多张）
        <input
          ref={input}
          className='file-input'
          type='file'
          accept={ACCEPT}
          multiple
          disabled={disabled}
          aria-label='选择凭证照片'
          onChange={(e) => {
            take(e.currentTarget.files)
            e.currentTarget.value = ''
          }}
        />
      </label>
      <span className='t-body drop-hint'>也可以把照片拖到这个框里</span>
    </div>
  )
}

/** One file, one request (XHR + FormData), with upload progress and cancel. */
export function sendFile(target: { url: string; header: Record<string, string> }, picked: PickedFile, onProgress: (fraction: number) => void, signal: CancelSignal): Promise<SendOutcome> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', target.url)
    for (const key of Object.keys(target.header)) xhr.setRequestHeader(key, target.header[key])
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total)
    }
    xhr.onload = () => resolve(readUploadAnswer(xhr.status, xhr.responseText))
    xhr.onerror = () => reject(new Error('network'))
    xhr.onabort = () => reject(new Error('aborted'))
    signal.onCancel(() => xhr.abort())
    const form = new FormData()
    form.append('files', picked.file, picked.name)
    xhr.send(form)
  })
}
