package server

import (
	"context"
	"crypto/tls"
	"log"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"google.golang.org/grpc/codes"
)

// metrics are what /metrics shows: every call by method and code, with its
// latency, and, read at each scrape, the requests by state, the open runs,
// and the database's size on disk (see store.DB.DiskSizes: on PostgreSQL
// the size of the store's schema, not a file).
type metrics struct {
	registry *prometheus.Registry
	calls    *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// counter is what the metrics read from the database at a scrape.
type counter interface {
	Counts(ctx context.Context) (requests, runs map[string]int64, err error)
	DiskSizes(ctx context.Context) (map[string]int64, error)
}

func newMetrics(db counter) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "aqjurek_calls_total", Help: "Calls served, by gRPC method and status code (REST calls count under their gRPC method).",
		}, []string{"method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "aqjurek_call_duration_seconds", Help: "Time to serve a call, by gRPC method.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method"}),
	}
	m.registry.MustRegister(m.calls, m.latency, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&stateCollector{db: db})
	return m
}

// server serves /metrics alone, for the address operators scrape: the
// figures tell how busy the service is and what it holds, which is for
// the operations network, not for every client of the API.
func (m *metrics) server(tlsConfig *tls.Config, errorLog *log.Logger) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
	return &http.Server{Handler: mux, TLSConfig: tlsConfig, ErrorLog: errorLog,
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
}

func (m *metrics) observe(method string, code codes.Code, took time.Duration) {
	m.calls.WithLabelValues(method, code.String()).Inc()
	m.latency.WithLabelValues(method).Observe(took.Seconds())
}

var (
	requestsDesc = prometheus.NewDesc("aqjurek_delivery_requests", "Delivery requests by state.", []string{"state"}, nil)
	runsDesc     = prometheus.NewDesc("aqjurek_open_runs", "Runs not yet completed or cancelled, by state.", []string{"state"}, nil)
	fileDesc     = prometheus.NewDesc("aqjurek_database_bytes",
		`Size of the database on disk: the SQLite file and its write-ahead log (file "db" and "wal"), or on PostgreSQL the tables and indexes of the server's schema (file "postgres").`,
		[]string{"file"}, nil)
)

// stateCollector reads the figures that live in the database at a scrape.
type stateCollector struct{ db counter }

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- requestsDesc
	ch <- runsDesc
	ch <- fileDesc
}

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	requests, runs, err := c.db.Counts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(requestsDesc, err)
		return
	}
	for state, n := range requests {
		ch <- prometheus.MustNewConstMetric(requestsDesc, prometheus.GaugeValue, float64(n), state)
	}
	for state, n := range runs {
		ch <- prometheus.MustNewConstMetric(runsDesc, prometheus.GaugeValue, float64(n), state)
	}
	sizes, err := c.db.DiskSizes(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(fileDesc, err)
		return
	}
	for name, n := range sizes {
		ch <- prometheus.MustNewConstMetric(fileDesc, prometheus.GaugeValue, float64(n), name)
	}
}
