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
import { PassThrough } from 'node:stream'
import { Upload } from 'tus-js-client'

const options = JSON.parse(process.argv[2])
const print = (event) => process.stdout.write(`${JSON.stringify(event)}\n`)

// With abortAtBytes, the file is read through tus-js-client's public `fileReader` option: a slice
// streams the file only up to that byte and then stalls (its body never ends), and once those bytes
// have gone out the upload is aborted — so the PATCH is certainly still in flight when the abort cuts
// it, however fast or slow the machine is. (Progress events cannot be used for this: tus-js-client
// throttles them and drops the last one before a stall.)
function stallingFileReader(path, stallAt, onStalled) {
  return {
    async openFile() {
      const size = fs.statSync(path).size
      return {
        size,
        async slice(start, end) {
          const body = new PassThrough()
          const stop = Math.min(end, stallAt)
          if (stop > start) {
            const file = fs.createReadStream(path, { start, end: stop - 1 })
            if (end > stallAt) {
              file.on('end', onStalled)
            }
            file.pipe(body, { end: end <= stallAt })
          } else if (end <= stallAt) {
            body.end()
          }
          body.size = end - start
          return { value: body, done: end >= size }
        },
        close() {},
      }
    },
  }
}

let firstPatchOffset = null
let aborting = false
const upload = new Upload(fs.createReadStream(options.file), {
  endpoint: options.endpoint,
  ...(options.abortAtBytes != null ? { fileReader: stallingFileReader(options.file, options.abortAtBytes, abortSoon) } : {}),
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
  onError(error) {
    print({ event: 'error', message: String(error) })
    process.exit(1)
  },
  onSuccess() {
    print({ event: 'success', url: upload.url })
    process.exit(0)
  },
})
// Give the last bytes a moment to leave the socket, then cut the PATCH.
function abortSoon() {
  if (aborting) {
    return
  }
  aborting = true
  setTimeout(() => {
    upload.abort(false).then(() => {
      print({ event: 'aborted', sent: options.abortAtBytes, url: upload.url })
      process.exit(3)
    })
  }, 500)
}

upload.start()
