#!/usr/bin/env node
// tus-upload.js uploads one file with tus-js-client, the client Ferry's web
// app and many integrations use, so Go tests can check the server against it.
//
//   node tus-upload.js --endpoint URL --file PATH [--header 'K: V']...
//     [--metadata k=v]... [--chunk-size N] [--stop-after BYTES] [--resume-url URL]
//
// On success it prints {"url": ..., "offset": size}. With --stop-after it
// aborts once the server has acknowledged at least that many bytes and prints
// {"url": ..., "offset": acknowledged}. With --resume-url it resumes that
// upload instead of creating one. Errors go to stderr with exit status 1.
'use strict'

const fs = require('fs')
const tus = require('tus-js-client')

function usage(msg) {
  fail(`${msg}\nusage: node tus-upload.js --endpoint URL --file PATH [--header 'K: V']... ` +
    '[--metadata k=v]... [--chunk-size N] [--stop-after BYTES] [--resume-url URL]')
}

// Written synchronously so that exiting right after loses nothing.
function fail(msg) {
  fs.writeSync(2, `tus-upload: ${msg}\n`)
  process.exit(1)
}

function done(url, offset) {
  fs.writeSync(1, JSON.stringify({ url, offset }) + '\n')
  process.exit(0)
}

function parseArgs(argv) {
  const opts = { headers: {}, metadata: {}, chunkSize: 5 * 1024 * 1024, stopAfter: null }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    const value = argv[i + 1]
    if (value === undefined) usage(`${flag} needs a value`)
    i++
    switch (flag) {
      case '--endpoint': opts.endpoint = value; break
      case '--file': opts.file = value; break
      case '--resume-url': opts.resumeUrl = value; break
      case '--header': {
        const at = value.indexOf(':')
        if (at <= 0) usage(`--header ${JSON.stringify(value)} is not 'Name: value'`)
        opts.headers[value.slice(0, at).trim()] = value.slice(at + 1).trim()
        break
      }
      case '--metadata': {
        const at = value.indexOf('=')
        if (at <= 0) usage(`--metadata ${JSON.stringify(value)} is not key=value`)
        opts.metadata[value.slice(0, at)] = value.slice(at + 1)
        break
      }
      case '--chunk-size':
        opts.chunkSize = Number(value)
        if (!(opts.chunkSize > 0)) usage(`--chunk-size ${value} is not a positive number`)
        break
      case '--stop-after':
        opts.stopAfter = Number(value)
        if (!Number.isInteger(opts.stopAfter) || opts.stopAfter < 0) usage(`--stop-after ${value} is not a byte count`)
        break
      default:
        usage(`unknown flag ${flag}`)
    }
  }
  if (!opts.file) usage('--file is required')
  if (!opts.endpoint && !opts.resumeUrl) usage('--endpoint or --resume-url is required')
  return opts
}

function main() {
  const opts = parseArgs(process.argv.slice(2))
  let size
  try {
    size = fs.statSync(opts.file).size
  } catch (err) {
    fail(`reading ${opts.file}: ${err.message}`)
  }

  let stopped = false
  const upload = new tus.Upload(fs.createReadStream(opts.file), {
    endpoint: opts.endpoint,
    uploadUrl: opts.resumeUrl || null,
    uploadSize: size,
    chunkSize: opts.chunkSize,
    headers: opts.headers,
    metadata: opts.metadata,
    retryDelays: [0, 200, 500],
    storeFingerprintForResuming: false,
    onChunkComplete(_chunk, accepted, total) {
      // accepted is the Upload-Offset the server answered, so it is what a
      // resume will start from. A finished upload reports through onSuccess.
      if (opts.stopAfter === null || stopped || accepted < opts.stopAfter || accepted >= total) return
      stopped = true
      upload.abort(false).then(() => done(upload.url, accepted), (err) => fail(`aborting: ${err.message}`))
    },
    onSuccess() {
      if (!stopped) done(upload.url, size)
    },
    onError(err) {
      if (!stopped) fail(err.message)
    },
  })
  upload.start()
}

main()
