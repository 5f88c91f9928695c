// Package browsertest drives Debian's chromium from Go through jtai's
// pages as each role would, and runs axe-core on every page it visits. It
// holds tests only. Under CI=true a missing chromium fails the suite rather
// than skipping it.
package browsertest
