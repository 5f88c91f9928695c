// Package metrics keeps jtai's Prometheus metrics in a registry of their
// own and serves them for scraping. Labels are bounded and never personal:
// a request is labelled by the route pattern that matched it, never by its
// path, which holds ids.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is one process's metrics.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// New makes the registry with the Go runtime's and the process's
// collectors and the HTTP request metrics.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "jtai_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "jtai_http_request_duration_seconds",
			Help:    "Time taken to answer HTTP requests, by route pattern and method.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "method"}),
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests,
		m.duration,
	)
	return m
}

// ObserveRequest counts one answered request and its duration. route is
// the pattern that matched (or "unmatched"); a method outside the standard
// ones is counted as "other", since the client chooses it.
func (m *Metrics) ObserveRequest(route, method string, code int, elapsed time.Duration) {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
	default:
		method = "other"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(code)).Inc()
	m.duration.WithLabelValues(route, method).Observe(elapsed.Seconds())
}

// Counter registers a counter without labels whose value is read from
// value at each scrape, for totals kept elsewhere.
func (m *Metrics) Counter(name, help string, value func() float64) {
	m.CounterWith(name, help, nil, value)
}

// CounterWith is Counter with constant labels.
func (m *Metrics) CounterWith(name, help string, labels map[string]string, value func() float64) {
	m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help, ConstLabels: labels}, value))
}

// Gauge registers a gauge read from value at each scrape, with constant
// labels (none may come from a request).
func (m *Metrics) Gauge(name, help string, labels map[string]string, value func() float64) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help, ConstLabels: labels}, value))
}

// Handler serves the metrics in Prometheus's text format. It belongs on a
// listener of its own, never the application's: the figures show traffic.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
