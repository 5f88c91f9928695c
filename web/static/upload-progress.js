// Shows an upload's progress on forms marked data-upload-progress. Without
// this script the form posts as usual; with it, the same post is sent in
// the background so that the bar can follow it. A stored upload shows the
// page the server redirected to, as the request that followed the redirect
// got it (with its one-time confirmation), at its address; anything else
// (a refused file) posts the form again the ordinary way, so that the
// error page loads as a page of its own.
//
// A form marked data-upload-progress="replace" is one whose post answers
// with a page (an import's result or its problems): that page is shown as
// it came, never posted again. Once the file is sent, the bar turns into
// an "importing" indicator until the server answers.
import { initAll } from '/static/govuk/govuk-frontend.min.js'

function start () {
  for (const form of document.querySelectorAll('form[data-upload-progress]')) {
    follow(form)
  }
}

// written starts the page written over this one as its own scripts would
// have: a module runs once in a window, so they do not run again. GOV.UK
// Frontend's error summary takes the focus, as on any page with errors.
function written () {
  document.body.classList.add('js-enabled', 'govuk-frontend-supported')
  initAll()
  start()
}

function follow (form) {
  const box = document.getElementById('upload-progress')
  const bar = document.getElementById('upload-progress-bar')
  if (!box || !bar || !window.FormData || form.dataset.uploadProgressStarted) return
  form.dataset.uploadProgressStarted = 'yes'
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const xhr = new XMLHttpRequest()
    xhr.open('POST', form.action)
    box.hidden = false
    const label = box.querySelector('label')
    xhr.upload.addEventListener('load', () => {
      bar.removeAttribute('value')
      bar.textContent = ''
      if (label && form.dataset.uploadProgress === 'replace') label.textContent = 'Checking and importing the lists'
    })
    xhr.upload.addEventListener('progress', (e) => {
      if (!e.lengthComputable) return
      const pct = Math.round((e.loaded / e.total) * 100)
      bar.value = pct
      bar.textContent = pct + '%'
    })
    xhr.addEventListener('load', () => {
      const page = xhr.responseText && (xhr.getResponseHeader('Content-Type') || '').startsWith('text/html')
      if (page && (form.dataset.uploadProgress === 'replace' || xhr.status === 200)) {
        // The page the upload led to, shown as it came: loading it again
        // would lose its one-time confirmation, which the request that
        // followed the redirect has already shown.
        document.open()
        document.write(xhr.responseText)
        document.close()
        if (xhr.responseURL && xhr.responseURL !== window.location.href) {
          window.history.replaceState(null, '', xhr.responseURL)
        }
        written()
        return
      }
      form.submit()
    })
    xhr.addEventListener('error', () => form.submit())
    xhr.send(new FormData(form))
  })
}

start()
