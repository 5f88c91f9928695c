package web

import (
	"fmt"
	"testing"
	"time"
)

// The first line refuses an address once it has failed failureBurst times,
// lets it try again as its bucket refills, and remembers a bounded number
// of addresses however many fail.
func TestFailureFilter(t *testing.T) {
	var f failureFilter
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for range failureBurst {
		if !f.allowed("address:203.0.113.1", now) {
			t.Fatal("refused within the burst")
		}
		f.failed("address:203.0.113.1", now)
	}
	if f.allowed("address:203.0.113.1", now) {
		t.Error("allowed past the burst")
	}
	if !f.allowed("address:203.0.113.2", now) {
		t.Error("another address refused")
	}
	if !f.allowed("address:203.0.113.1", now.Add(failureRefill)) {
		t.Error("still refused once the bucket has refilled by one")
	}
	for i := range 3 * failureAddrs {
		f.failed(fmt.Sprintf("address:10.%d.%d.%d", i>>16&255, i>>8&255, i&255), now)
	}
	if n := len(f.buckets); n > failureAddrs {
		t.Errorf("%d addresses remembered, want at most %d", n, failureAddrs)
	}
}
