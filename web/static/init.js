// Marks the page as able to run GOV.UK Frontend's components and starts
// them. Loaded as a module, so browsers too old for the components never run
// it and keep the plain, working HTML.
import { initAll } from '/static/govuk/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()

// A notice that the session ended ("?ended=") is shown once: take it out
// of the address, so that reloading the page, or coming back to it, does
// not show it again. (Confirmations come in a one-time cookie instead.)
const address = new URL(window.location.href)
if (address.searchParams.has('ended')) {
  address.searchParams.delete('ended')
  window.history.replaceState(window.history.state, '', address)
}
