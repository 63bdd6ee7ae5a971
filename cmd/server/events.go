package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/natsbus"
	"github.com/hiregraph/hiregraph/internal/postgres"
	"github.com/hiregraph/hiregraph/internal/realtime"
)

// eventTransport is how committed changes reach this process's subscribers:
// what /readyz checks and what /metrics shows of it.
type eventTransport struct {
	ready      func() error
	collectors []prometheus.Collector
}

// startEvents starts the event transport chosen by EVENTS, feeding broker
// until bg is done. The rest of the server does not know which one runs.
func startEvents(bg context.Context, cfg *config, log *slog.Logger, db *sqlx.DB, dsn string, svc *hiring.Service, broker *realtime.Broker) (*eventTransport, error) {
	published := prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "hiregraph_events_published_total", Help: "Events written by this process's changes (NOTIFY, or the outbox with EVENTS=nats).",
	}, func() float64 { return float64(postgres.EventsWritten()) })

	if cfg.Events != "nats" {
		listener := postgres.NewListener(dsn, log)
		go func() {
			if err := listener.Run(bg, broker.Publish, broker.ResyncAll); err != nil {
				log.Error("event listener stopped", "err", err)
			}
		}()
		return &eventTransport{
			ready: func() error {
				if !listener.Connected() {
					return errors.New("the event listener is not connected to PostgreSQL")
				}
				return nil
			},
			collectors: []prometheus.Collector{published},
		}, nil
	}

	svc.Store().UseOutbox()
	host, _ := os.Hostname()
	nc, err := natsbus.Connect(cfg.NatsURL, fmt.Sprintf("hiregraph %s:%d", host, cfg.Port), log, broker.ResyncAll)
	if err != nil {
		return nil, err
	}
	go func() { <-bg.Done(); nc.Close() }()
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("JetStream: %w", err)
	}
	if nc.IsConnected() {
		if err := natsbus.EnsureStream(bg, js, cfg.NatsPrefix); err != nil {
			return nil, err
		}
	}
	source := natsbus.NewSource(nc, cfg.NatsPrefix, broker, log)
	relay := &natsbus.Relay{Store: svc.Store(), JS: js, Prefix: cfg.NatsPrefix, Log: log}
	go func() {
		// NATS may be down at start: the stream is made once it answers.
		for !nc.IsConnected() {
			if !sleepCtx(bg) {
				return
			}
		}
		if err := natsbus.EnsureStream(bg, js, cfg.NatsPrefix); err != nil {
			log.Error("NATS JetStream stream", "err", err)
		}
		relay.Run(bg)
	}()
	log.Info("events travel through NATS JetStream", "url", cfg.NatsURL, "prefix", cfg.NatsPrefix)
	return &eventTransport{
		ready: func() error {
			if !source.Connected() {
				return errors.New("not connected to NATS")
			}
			return nil
		},
		collectors: []prometheus.Collector{published,
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name: "hiregraph_events_relayed_total", Help: "Outbox events this process published to JetStream and JetStream acknowledged (only the relay's instance relays).",
			}, func() float64 { return float64(relay.Relayed()) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "hiregraph_events_relay_lag_seconds", Help: "Age of the oldest event waiting in the outbox when the relay last looked (0 when empty or not the relay).",
			}, func() float64 { return relay.Lag().Seconds() }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "hiregraph_events_relay_leader", Help: "1 when this process holds the relay lease.",
			}, func() float64 {
				if relay.Leader() {
					return 1
				}
				return 0
			}),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "hiregraph_nats_subjects", Help: "NATS subjects this process subscribes to (one per user or room its clients follow).",
			}, func() float64 { return float64(source.Topics()) }),
		},
	}, nil
}

// sleepCtx waits a quarter of a second; false when ctx ended first.
func sleepCtx(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(250 * time.Millisecond):
		return true
	}
}
