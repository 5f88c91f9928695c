// Marks the page as able to run GOV.UK Frontend's components and starts
// them. Loaded as a module, so browsers too old for the components never run
// it and keep the plain, working HTML.
import { initAll } from '/static/govuk/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
