// Marks the page as able to run GOV.UK Frontend's components and starts
// them. Loaded as a module, so browsers too old for the components never run
// it and keep the plain, working HTML.
import { initAll } from '/static/govuk/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()

// A confirmation ("?done=") or a notice ("?ended=") is shown once: take it
// out of the address, so that reloading the page, or coming back to it,
// does not show it again.
const address = new URL(window.location.href)
if (address.searchParams.has('done') || address.searchParams.has('ended')) {
  address.searchParams.delete('done')
  address.searchParams.delete('ended')
  window.history.replaceState(window.history.state, '', address)
}
