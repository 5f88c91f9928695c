package main

import (
	"database/sql"
	"net/http"
	"time"

	"jtai/metrics"
	"jtai/store"
)

// metricsAddress is where metrics are served, from --metrics-address or
// JTAI_METRICS_ADDRESS; empty: nowhere.
func (f *serveFlags) metricsAddress(m *Main) string {
	if f.metricsAddr != "" {
		return f.metricsAddr
	}
	return m.Getenv("JTAI_METRICS_ADDRESS")
}

// newMetrics makes the metrics, with counters of what db does.
func newMetrics(db *store.DB) *metrics.Metrics {
	met := metrics.New()
	for _, c := range []struct {
		name, help string
		value      func(store.Counts) int64
	}{
		{"jtai_access_log_entries_total", "Access log entries committed.", func(c store.Counts) int64 { return c.AccessLogEntries }},
		{"jtai_list_imports_accepted_total", "Imports of children's lists that landed.", func(c store.Counts) int64 { return c.ImportsAccepted }},
		{"jtai_list_imports_rejected_total", "Imports of children's lists refused for problems in their files.", func(c store.Counts) int64 { return c.ImportsRejected }},
		{"jtai_outbox_messages_sent_total", "Outbox messages sent.", func(c store.Counts) int64 { return c.MessagesSent }},
		{"jtai_outbox_send_failures_total", "Failed attempts to send an outbox message.", func(c store.Counts) int64 { return c.MessagesFailed }},
		{"jtai_read_cache_hits_total", "Reads answered from the read cache.", func(c store.Counts) int64 { return c.CacheHits }},
		{"jtai_read_cache_misses_total", "Reads within a request that went to the database.", func(c store.Counts) int64 { return c.CacheMisses }},
	} {
		met.Counter(c.name, c.help, func() float64 { return float64(c.value(db.Counts())) })
	}
	// The connection pools: a pool always in use, or waited for, limits
	// how many requests are answered at once.
	for pool := range db.PoolStats() {
		labels := map[string]string{"pool": pool}
		stat := func(f func(sql.DBStats) float64) func() float64 {
			return func() float64 { return f(db.PoolStats()[pool]) }
		}
		met.Gauge("jtai_db_connections_open", "Database connections open, in use or idle.", labels, stat(func(s sql.DBStats) float64 { return float64(s.OpenConnections) }))
		met.Gauge("jtai_db_connections_in_use", "Database connections in use.", labels, stat(func(s sql.DBStats) float64 { return float64(s.InUse) }))
		met.CounterWith("jtai_db_connection_waits_total", "Times a query waited for a free database connection.", labels, stat(func(s sql.DBStats) float64 { return float64(s.WaitCount) }))
		met.CounterWith("jtai_db_connection_wait_seconds_total", "Time spent waiting for a free database connection.", labels, stat(func(s sql.DBStats) float64 { return s.WaitDuration.Seconds() }))
	}
	return met
}

// metricsServer serves GET /metrics and nothing else.
func metricsServer(met *metrics.Metrics) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", met.Handler())
	return &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
}
