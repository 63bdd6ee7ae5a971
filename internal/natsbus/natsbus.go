// Package natsbus carries hiregraph's events through NATS JetStream when
// EVENTS=nats: a relay publishes the outbox that every change writes in its
// own transaction, and each instance subscribes only to the subjects of the
// users and rooms its own clients are subscribed to.
//
// The database stays the source of truth. An event is only a wake-up: a
// subscription that hears one re-reads its table after the last sequence it
// delivered, so a wake-up lost while an instance was disconnected costs a
// read (every subscriber re-reads on reconnect), never a message.
package natsbus

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/hiregraph/hiregraph/internal/market"
)

// DefaultPrefix starts every subject: <prefix>.user.<id>, <prefix>.room.<id>.
const DefaultPrefix = "hiregraph"

// Subject is the NATS subject of an event topic ("user:7" → "<prefix>.user.7").
func Subject(prefix, topic string) string {
	return prefix + "." + strings.ReplaceAll(topic, ":", ".")
}

// StreamName is the JetStream stream that keeps the events of prefix.
func StreamName(prefix string) string {
	return strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(prefix)) + "_EVENTS"
}

// Connect dials NATS and keeps reconnecting for as long as the process runs
// (also when NATS is down at start). onReconnect runs after every
// reconnection: subscribers may have missed events meanwhile.
func Connect(url, name string, log *slog.Logger, onReconnect func()) (*nats.Conn, error) {
	if log == nil {
		log = slog.Default()
	}
	nc, err := nats.Connect(url,
		nats.Name(name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250*time.Millisecond),
		nats.RetryOnFailedConnect(true),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("NATS disconnected", "err", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			log.Info("NATS reconnected", "server", nc.ConnectedUrlRedacted())
			if onReconnect != nil {
				onReconnect()
			}
		}),
		nats.ConnectHandler(func(nc *nats.Conn) {
			log.Info("NATS connected", "server", nc.ConnectedUrlRedacted())
			if onReconnect != nil {
				onReconnect() // a first connection after RetryOnFailedConnect
			}
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("connect to NATS at %s: %w", url, err)
	}
	return nc, nil
}

// EnsureStream creates (or updates) the stream that keeps the events: every
// subject under prefix, for an hour, de-duplicated by message id for two
// minutes (a relay that published and died before recording it publishes
// again; JetStream drops the copy).
func EnsureStream(ctx context.Context, js jetstream.JetStream, prefix string) error {
	_, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        StreamName(prefix),
		Description: "hiregraph events (wake-ups for subscriptions; the database is the source of truth)",
		Subjects:    []string{prefix + ".>"},
		Storage:     jetstream.FileStorage,
		MaxAge:      time.Hour,
		Duplicates:  2 * time.Minute,
	})
	if err != nil {
		return fmt.Errorf("JetStream stream %s: %w", StreamName(prefix), err)
	}
	return nil
}

func encode(e market.Event) []byte {
	b, _ := json.Marshal(e) // a struct of strings and integers always encodes
	return b
}

func decode(b []byte) (market.Event, error) {
	var e market.Event
	err := json.Unmarshal(b, &e)
	return e, err
}
