package web

import (
	"sync"
	"time"

	"jtai"
	"jtai/auth"
)

// Requests from an address that has failed too often recently (a wrong
// password, an unknown link, a bad API token) are refused before they
// reach the database, by a bucket of failures per address that refills
// slowly, held in this process's memory. It is only a first line, sparing
// the database and the access log a flood from one address: the limits
// that hold across servers are the database's (auth.Service), which count
// every failure that gets past it and log those past their limit once a
// window with their count.
const (
	failureBurst  = 40               // failures an address may make at once, twice the database's limit
	failureRefill = 10 * time.Second // and one more each this long after
	failureAddrs  = 10000            // addresses remembered at most
)

var errTooManyFailures = jtai.Errorf(jtai.ETOOMANY, "There have been too many failed attempts from your network. Wait a few minutes and try again")

// failureFilter is the first line: buckets of failures by address key
// (auth.AddressKey).
type failureFilter struct {
	mu      sync.Mutex
	buckets map[string]*failureBucket
}

type failureBucket struct {
	left float64 // failures the address may still make
	at   time.Time
}

// refill brings b up to date at now, and reports whether it is full again,
// when forgetting it changes nothing.
func (b *failureBucket) refill(now time.Time) bool {
	b.left = min(failureBurst, b.left+float64(now.Sub(b.at))/float64(failureRefill))
	b.at = now
	return b.left >= failureBurst
}

// allowed reports whether the address of key may make a request that
// could fail.
func (f *failureFilter) allowed(key string, now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, ok := f.buckets[key]
	if !ok {
		return true
	}
	b.refill(now)
	return b.left >= 1
}

// failed counts a failure from the address of key. Memory is bounded:
// when failureAddrs addresses are remembered, those whose buckets are full
// again are forgotten, and if none is, all are (the database's limits
// still hold).
func (f *failureFilter) failed(key string, now time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, ok := f.buckets[key]
	if !ok {
		if len(f.buckets) >= failureAddrs {
			for k, b := range f.buckets {
				if b.refill(now) {
					delete(f.buckets, k)
				}
			}
			if len(f.buckets) >= failureAddrs {
				clear(f.buckets)
			}
		}
		if f.buckets == nil {
			f.buckets = map[string]*failureBucket{}
		}
		b = &failureBucket{left: failureBurst, at: now}
		f.buckets[key] = b
	}
	b.refill(now)
	b.left = max(0, b.left-1)
}

// mayFail refuses the request when the caller's address has failed too
// often recently (failureFilter).
func (s *Server) mayFail(c *Context) error {
	if !s.failures.allowed(auth.AddressKey(clientAddress(c.R)), s.cfg.Clock.Now()) {
		return errTooManyFailures
	}
	return nil
}

// countFailure counts a failure from the caller's address in this
// process's first line.
func (s *Server) countFailure(c *Context) {
	s.failures.failed(auth.AddressKey(clientAddress(c.R)), s.cfg.Clock.Now())
}

// failed counts and logs a failure of a request from someone not signed
// in that guessed at no password (an unknown link, a bad API token): it is
// logged while the address is within its limit, and past it refused with
// ETOOMANY, its repeats logged once a window with their count
// (auth.Service.Failed). resource must be one of few, never the request's
// own text: the repeats are counted by it.
func (s *Server) failed(c *Context, action, resource, outcome string) error {
	s.countFailure(c)
	return s.cfg.Auth.Failed(c.R.Context(), s.accessEntry(c, action, resource, outcome))
}
