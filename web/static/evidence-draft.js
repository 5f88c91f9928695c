// Keeps a draft of the evidence form on the server while it is written:
// every few seconds, when the form has changed, it is sent to the address
// in the form's data-evidence-draft, and the inspector sees "Draft saved".
// Nothing is kept in the browser. Without this script the form posts as
// usual and no draft is kept.
const every = 5000

function keep (form) {
  const status = document.getElementById('draft-status')
  let sent = new URLSearchParams(new FormData(form)).toString()
  let busy = false
  setInterval(async () => {
    const now = new URLSearchParams(new FormData(form)).toString()
    if (busy || now === sent) return
    busy = true
    try {
      const res = await fetch(form.dataset.evidenceDraft, {
        method: 'POST',
        body: new URLSearchParams(new FormData(form)),
        credentials: 'same-origin'
      })
      if (res.ok) {
        sent = now
        if (status) status.textContent = await res.text()
      } else if (status) {
        status.textContent = 'The draft could not be saved. Your text is still here: record the evidence to keep it.'
      }
    } catch (e) {
      if (status) status.textContent = 'The draft could not be saved. Your text is still here: record the evidence to keep it.'
    } finally {
      busy = false
    }
  }, every)
}

for (const form of document.querySelectorAll('form[data-evidence-draft]')) {
  keep(form)
}
