// Command loadgen runs named load scenarios against a running hiregraph
// server and prints what they measured: throughput, latency percentiles,
// errors, and the server's own cost per request read from its /metrics
// (CPU seconds, SQL statements, resident memory).
//
//	loadgen -list
//	loadgen -addr http://127.0.0.1:8080 -scenario invitations-page -duration 30s -concurrency 32
//
// It only ever sends traffic to the address it is given, and every scenario
// stops by itself after -duration (or -n operations).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"
)

// A scenario is one named load pattern.
type scenario struct {
	name string
	help string
	run  func(ctx context.Context, env *Env) (*Report, error)
}

var scenarios = map[string]scenario{}

// register adds a scenario; scenario files call it from init.
func register(s scenario) {
	if _, dup := scenarios[s.name]; dup {
		panic("loadgen: scenario registered twice: " + s.name)
	}
	scenarios[s.name] = s
}

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	env := &Env{Out: out}
	fs.StringVar(&env.Addr, "addr", "http://127.0.0.1:8080", "the server's base URL (loopback only)")
	fs.StringVar(&env.Metrics, "metrics", "", "the server's /metrics URL (default: <addr>/metrics)")
	fs.DurationVar(&env.Duration, "duration", 30*time.Second, "how long the scenario runs")
	fs.IntVar(&env.N, "n", 0, "stop after this many operations (0: run for -duration)")
	fs.IntVar(&env.Concurrency, "concurrency", 32, "concurrent workers (or connections)")
	fs.IntVar(&env.Clients, "clients", 0, "websocket clients for the realtime scenarios")
	fs.Float64Var(&env.Rate, "rate", 0, "events per second for the realtime scenarios")
	fs.StringVar(&env.Email, "email", "freelancer@hiregraph.test", "the user the read scenarios sign in as")
	fs.StringVar(&env.Password, "password", "hiregraph-demo", "that user's password (and every generated user's)")
	fs.StringVar(&env.ClientEmail, "client-email", "client@hiregraph.test", "the client the write scenarios and setups sign in as")
	fs.BoolVar(&env.Setup, "setup", false, "create the data the scenario needs first (room-messages: a room and -messages messages)")
	fs.IntVar(&env.PoolFirst, "pool-first", 1001, "mutation-mix: the number of the first generated freelancer the workers sign in as")
	fs.IntVar(&env.Messages, "messages", 200, "room-messages -setup: how many messages the room holds")
	fs.StringVar(&env.DatabaseURL, "db", os.Getenv("DATABASE_URL"), "the server's database (realtime scenarios: users and events)")
	fs.IntVar(&env.Writers, "writers", 40, "database connections writing the realtime scenarios' events (mind the servers' pools under PostgreSQL's max_connections)")
	fs.StringVar(&env.TokenSecret, "token-secret", os.Getenv("TOKEN_SECRET"), "the server's TOKEN_SECRET (realtime scenarios sign the users' tokens)")
	fs.StringVar(&env.Events, "events", envOr("EVENTS", "postgres"), "the servers' EVENTS setting: postgres (events by NOTIFY) or nats (events through the outbox); the realtime scenarios write their events the same way")
	fs.StringVar(&env.Shard, "shard", "0/1", "this process's share i/n of the websocket clients (a process may open at most ~20,000 files)")
	fs.DurationVar(&env.Hold, "hold", 0, "how long the realtime scenarios hold their connections before the events")
	scenarioName := fs.String("scenario", "", "the scenario to run (-list shows them)")
	list := fs.Bool("list", false, "list the scenarios and exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *list || *scenarioName == "" {
		names := make([]string, 0, len(scenarios))
		for n := range scenarios {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintln(out, "scenarios:")
		for _, n := range names {
			fmt.Fprintf(out, "  %-22s %s\n", n, scenarios[n].help)
		}
		if !*list {
			return errors.New("-scenario is required")
		}
		return nil
	}
	s, ok := scenarios[*scenarioName]
	if !ok {
		return fmt.Errorf("unknown scenario %q (-list shows them)", *scenarioName)
	}
	if err := env.checkLoopback(); err != nil {
		return err
	}
	if env.Metrics == "" {
		env.Metrics = strings.TrimRight(env.Addr, "/") + "/metrics"
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	before, _ := env.Scrape(ctx)
	rep, err := s.run(ctx, env)
	if err != nil {
		return err
	}
	after, _ := env.Scrape(ctx)
	rep.Scenario = s.name
	rep.Server = after.Sub(before)
	rep.Print(out)
	return nil
}

// envOr is the environment variable name, or def when it is not set.
func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
