// Uploads one file to the ingest tus server with the real tus-js-client, reading it from Node's
// fs stream, and reports what happened as JSON lines on stdout. Driven by TusJsInteropTests.
//
//   node upload.mjs '{"endpoint":"http://127.0.0.1:PORT/api/v1/uploads","key":"em_…","file":"/path",
//                    "metadata":{"filename":"…"},"chunkSize":null,"abortAtBytes":null,"resumeUrl":null}'
//
// With abortAtBytes the upload is aborted (the PATCH in flight is cut) once that many bytes were
// sent, and the process exits 3. With resumeUrl it resumes that upload (HEAD, then PATCH from the
// server's offset). Exit 0 on success, 1 on error.
import fs from 'node:fs'
import { Upload } from 'tus-js-client'

const options = JSON.parse(process.argv[2])
const print = (event) => process.stdout.write(`${JSON.stringify(event)}\n`)

let firstPatchOffset = null
let aborting = false
const upload = new Upload(fs.createReadStream(options.file), {
  endpoint: options.endpoint,
  uploadUrl: options.resumeUrl ?? null,
  chunkSize: options.chunkSize ?? Infinity,
  retryDelays: [0, 250, 500, 1000, 2000],
  headers: { Authorization: `Bearer ${options.key}` },
  metadata: options.metadata ?? {},
  onUploadUrlAvailable() {
    print({ event: 'url', url: upload.url })
  },
  onBeforeRequest(request) {
    if (request.getMethod() === 'PATCH' && firstPatchOffset === null) {
      firstPatchOffset = Number(request.getHeader('Upload-Offset'))
      print({ event: 'first-patch', offset: firstPatchOffset })
    }
  },
  onProgress(sent, total) {
    if (options.abortAtBytes != null && sent >= options.abortAtBytes && !aborting) {
      aborting = true
      upload.abort(false).then(() => {
        print({ event: 'aborted', sent, total, url: upload.url })
        process.exit(3)
      })
    }
  },
  onError(error) {
    print({ event: 'error', message: String(error) })
    process.exit(1)
  },
  onSuccess() {
    print({ event: 'success', url: upload.url })
    process.exit(0)
  },
})
upload.start()
