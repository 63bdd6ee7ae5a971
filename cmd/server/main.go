// Command server runs hiregraph.
//
//	server [serve]      run the API (default)
//	server migrate      apply the database migrations and exit
//	server seed         load the demo data and exit; with -freelancers N
//	                    also add N generated freelancers, with
//	                    -invitations N about N invitations (load data); with
//	                    -jobs N also N generated open jobs
//	server token EMAIL  print a bearer token for a user
//
// With no DATABASE_URL it starts a private PostgreSQL in DATA_DIR/pg, keeps
// its data between runs, and stops it on exit.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/gcfloor"
	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/pglocal"
	"github.com/hiregraph/hiregraph/internal/postgres"
	"github.com/hiregraph/hiregraph/internal/realtime"
	"github.com/hiregraph/hiregraph/internal/server"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "hiregraph:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	cfg, rest, err := loadConfig(args)
	if err != nil {
		return err
	}
	log := newLogger(cfg)
	slog.SetDefault(log)

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	switch cmd {
	case "serve", "migrate", "seed", "token":
	default:
		return fmt.Errorf("unknown command %q: use serve, migrate, seed or token EMAIL", cmd)
	}
	if cfg.Jobs < 0 || (cfg.Jobs > 0 && cmd != "seed") {
		return errors.New("-jobs N (N > 0) is for the seed command only: server seed -jobs N")
	}
	if cfg.Freelancers < 0 || (cfg.Freelancers > 0 && cmd != "seed") {
		return errors.New("-freelancers N (N > 0) is for the seed command only: server seed -freelancers N")
	}
	if cfg.Invitations < 0 || (cfg.Invitations > 0 && cmd != "seed") {
		return errors.New("-invitations N (N > 0) is for the seed command only: server seed -invitations N")
	}
	if cmd == "token" && len(rest) != 1 {
		return errors.New("usage: server token EMAIL")
	}

	db, dsn, where, keeper, closeDB, err := openDatabase(ctx, cfg, log, cmd == "serve")
	if err != nil {
		return err
	}
	defer closeDB()
	if err := postgres.Migrate(ctx, db.DB); err != nil {
		return err
	}
	tokens, err := auth.NewTokens(cfg.TokenSecret, cfg.TokenTTL)
	if err != nil {
		return err
	}
	svc := hiring.New(postgres.New(db), hiring.Config{
		ChargeConnectsForInvitations: cfg.ChargeConnects, AutoInvites: cfg.AutoInvites,
		SignupConnects: cfg.SignupConnects, ConnectsPackages: cfg.ConnectsPackages,
		LoginAccountFailures: cfg.LoginAccountFailures, LoginAddrFailures: cfg.LoginAddrFailures, LoginMaxDelay: cfg.LoginMaxDelay,
	}, nil)

	switch cmd {
	case "migrate":
		log.Info("migrations applied")
		return nil
	case "seed":
		seeded, err := svc.Seed(ctx)
		if err != nil {
			return err
		}
		log.Info("demo data", "loaded", seeded, "already_present", !seeded)
		if cfg.Freelancers > 0 {
			start := time.Now()
			first, last, err := svc.GenerateFreelancers(ctx, cfg.Freelancers)
			if err != nil {
				return fmt.Errorf("generate freelancers: %w", err)
			}
			log.Info("generated freelancers", "count", cfg.Freelancers, "first", hiring.PoolEmail(first),
				"last", hiring.PoolEmail(last), "took", time.Since(start).Round(time.Millisecond))
		}
		if cfg.Jobs > 0 {
			start := time.Now()
			if err := svc.GenerateJobs(ctx, cfg.Jobs); err != nil {
				return fmt.Errorf("generate jobs: %w", err)
			}
			log.Info("generated jobs", "count", cfg.Jobs, "client", hiring.DemoClient, "took", time.Since(start).Round(time.Millisecond))
		}
		if cfg.Invitations > 0 {
			start := time.Now()
			n, err := svc.GenerateInvitations(ctx, cfg.Invitations)
			if err != nil {
				return fmt.Errorf("generate invitations: %w", err)
			}
			log.Info("generated invitations", "count", n, "took", time.Since(start).Round(time.Millisecond))
		}
		return nil
	case "token":
		u, err := svc.UserByEmail(ctx, rest[0])
		if err != nil {
			return fmt.Errorf("token: %w", err)
		}
		tok, _, err := tokens.Issue(u.ID, u.TokenGeneration)
		if err != nil {
			return err
		}
		fmt.Println(tok)
		return nil
	}

	if cfg.Seed {
		if _, err := svc.Seed(ctx); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
	}
	return serve(ctx, cfg, log, db, dsn, where, keeper, svc, tokens)
}

func serve(ctx context.Context, cfg *config, log *slog.Logger, db *sqlx.DB, dsn, where string, keeper *pgKeeper, svc *hiring.Service, tokens *auth.Tokens) error {
	// Background work lives until the HTTP side has shut down.
	bg, stopBackground := context.WithCancel(context.Background())
	defer stopBackground()
	keeperErr := make(chan error, 1)
	if keeper != nil {
		go func() { keeperErr <- keeper.run(bg) }()
	}
	if t, ok := gcfloor.Start(uint64(cfg.GCMinHeapMB)<<20, cfg.GCLargePercent); ok {
		defer t.Stop()
	}
	broker := realtime.NewBroker()
	svc.UseBroker(broker)
	events, err := startEvents(bg, cfg, log, db, dsn, svc, broker)
	if err != nil {
		return err
	}
	go svc.RunExpirySweep(bg, cfg.ExpirySweep, cfg.JobIdlePeriod, log)

	defaults := server.DefaultOptions() // for what has no setting
	graphiqlHeaders, graphiqlOwner := demoHeaders(ctx, cfg, svc, tokens)
	h := server.New(server.Deps{DB: db, Hiring: svc, Tokens: tokens, Broker: broker, Collectors: events.collectors, Statements: postgres.Statements}, server.Options{
		Introspection: cfg.Introspection, MaxBodyBytes: cfg.MaxBodyBytes, LoaderWait: cfg.LoaderWait,
		AllowedOrigins: cfg.AllowedOrigins, MaxSubscriptions: cfg.MaxSubscriptions, Logger: log,
		GraphiQLHeaders: graphiqlHeaders, GraphiQLTokenOwner: graphiqlOwner,
		// 0 means no limit here as in the settings.
		MaxQueryTokens: cfg.MaxQueryTokens, MaxQueryDepth: cfg.MaxQueryDepth,
		MaxComplexity: cfg.MaxComplexity, MutationRate: cfg.MutationRate,
		MutationBurst: cfg.MutationBurst, APQCacheSize: cfg.APQCacheSize,
		KeepAlive: defaults.KeepAlive, InitTimeout: defaults.InitTimeout, WriteTimeout: defaults.WriteTimeout,
		OperationTimeout: cfg.OperationTimeout, ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		BodyTimeout: cfg.BodyTimeout, IdleTimeout: cfg.IdleTimeout,
		Ready: func() error {
			if keeper != nil && keeper.down.Load() {
				return errors.New("the private PostgreSQL exited and is being restarted")
			}
			return events.ready()
		},
	})
	ln, err := net.Listen("tcp", fmt.Sprintf(":%d", cfg.Port))
	if err != nil {
		return err
	}
	srv := h.HTTPServer()
	if cfg.DebugAddr != "" {
		dln, err := listenDebug(cfg.DebugAddr, ln.Addr().(*net.TCPAddr).Port)
		if err != nil {
			ln.Close()
			return err
		}
		dsrv := &http.Server{Handler: server.DebugHandler(), ReadHeaderTimeout: 10 * time.Second}
		defer dsrv.Close()
		go func() { _ = dsrv.Serve(dln) }()
		log.Info("pprof listening", "addr", dln.Addr().String())
	}
	banner(cfg, ln.Addr().(*net.TCPAddr).Port, where)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case err := <-keeperErr:
		// The database is gone for good: exit non-zero so that a supervisor acts.
		log.Error("stopping: the private PostgreSQL cannot be restarted", "err", err)
		_ = srv.Close()
		h.CloseWebsockets("server stopping: its database is gone")
		return err
	case <-ctx.Done():
	}
	// Stop accepting, let in-flight requests finish, then tell websocket
	// clients we are going away and let their subscriptions wind down; the
	// database closes last (in run).
	log.Info("shutting down", "open_websockets", h.OpenWebsockets())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	h.CloseWebsockets("server shutting down")
	if err := h.Drain(shutdownCtx); err != nil {
		log.Warn("subscriptions still busy at shutdown", "err", err)
	}
	stopBackground()
	return err
}

// demoHeaders, in development, fills GraphiQL's headers editor with a
// fresh token of the demo freelancer, so that a newcomer can run a query at
// once; it also returns whose token that is, for the page to say.
// Elsewhere, or without the demo data, the editor starts empty.
func demoHeaders(ctx context.Context, cfg *config, svc *hiring.Service, tokens *auth.Tokens) (func() map[string]string, string) {
	if cfg.Env != "development" {
		return nil, ""
	}
	u, err := svc.UserByEmail(ctx, hiring.DemoFreelancer)
	if err != nil {
		return nil, ""
	}
	owner := fmt.Sprintf("%s (%s), the demo freelancer", u.Name, hiring.DemoFreelancer)
	return func() map[string]string {
		tok, _, err := tokens.Issue(u.ID, u.TokenGeneration)
		if err != nil {
			return nil
		}
		return map[string]string{"Authorization": "Bearer " + tok}
	}, owner
}

// banner is what a person who just typed "go run ./cmd/server" reads; where
// says which database it uses.
func banner(cfg *config, port int, where string) {
	fmt.Printf("\nhiregraph is running (%s)\n", cfg.Env)
	fmt.Printf("  GraphiQL: http://localhost:%d/\n  API:      http://localhost:%d/query\n", port, port)
	fmt.Printf("  Database: %s\n", where)
	if cfg.Seed {
		fmt.Printf("\nDemo logins (password %q):\n", hiring.DemoPassword)
		for _, l := range hiring.DemoLogins {
			fmt.Printf("  %-32s %s\n", l[0], l[1])
		}
	}
	if cfg.TokenSecret == devTokenSecret {
		fmt.Println("\nWARNING: TOKEN_SECRET is the public development default: anyone can forge tokens. Never use it in production.")
	}
	fmt.Println()
}

// openDatabase connects to DATABASE_URL, or starts the private PostgreSQL.
// It returns the pool, the DSN (for the event listener's own connection),
// where the database is (for the banner) and a function that closes
// everything.
//
// The private PostgreSQL keeps its data in DATA_DIR/pg, except when running
// as root with DATA_DIR below a directory the unprivileged account that runs
// PostgreSQL cannot enter (a clone in root's 0700 home): then in
// /var/lib/hiregraph/<hash of that path>/pg, the same folder on every run.
func openDatabase(ctx context.Context, cfg *config, log *slog.Logger, serving bool) (*sqlx.DB, string, string, *pgKeeper, func(), error) {
	if cfg.DatabaseURL != "" {
		db, err := postgres.Open(ctx, cfg.DatabaseURL, cfg.pool())
		if err != nil {
			return nil, "", "", nil, nil, err
		}
		return db, cfg.DatabaseURL, "the server at DATABASE_URL", nil, func() { db.Close() }, nil
	}
	dir, err := pglocal.ResolveDataDir(filepath.Join(cfg.DataDir, "pg"), pglocal.DefaultFallbackRoot)
	if err != nil {
		return nil, "", "", nil, nil, err
	}
	log.Debug("starting the private PostgreSQL (set DATABASE_URL to use another server)", "data_dir", dir)
	pg, err := pglocal.Start(ctx, pglocal.Options{DataDir: dir, Logger: log})
	if errors.Is(err, pglocal.ErrInUse) && !serving {
		// A running hiregraph owns the folder: migrate, seed and token use its server.
		pg, err = pglocal.Attach(dir)
	}
	if err != nil {
		return nil, "", "", nil, nil, err
	}
	const name = "hiregraph"
	if err := pglocal.EnsureDatabase(ctx, pg, name); err != nil {
		_ = pg.Stop()
		return nil, "", "", nil, nil, err
	}
	db, err := postgres.Open(ctx, pg.DSN(name), cfg.pool())
	if err != nil {
		_ = pg.Stop()
		return nil, "", "", nil, nil, err
	}
	where := fmt.Sprintf("private PostgreSQL on port %d, data in %s", pg.Port(), pg.DataDir())
	k := &pgKeeper{log: log, pg: pg}
	return db, pg.DSN(name), where, k, func() {
		db.Close()
		if err := k.current().Stop(); err != nil {
			log.Warn("stopping PostgreSQL", "err", err)
		}
	}, nil
}

// pgKeeper restarts the private PostgreSQL when it dies (a crash, a kill):
// the pool's broken connections are replaced as they fail and the event
// listener reconnects, so service resumes with every committed write. While
// it is down, requests answer UNAVAILABLE and /readyz says so. If it cannot
// be restarted, run returns the error and the server exits non-zero.
type pgKeeper struct {
	log  *slog.Logger
	mu   sync.Mutex
	pg   *pglocal.Server
	down atomic.Bool
}

func (k *pgKeeper) current() *pglocal.Server {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.pg
}

func (k *pgKeeper) run(ctx context.Context) error {
	for {
		pg := k.current()
		select {
		case <-ctx.Done():
			return nil
		case <-pg.Exited():
		}
		if ctx.Err() != nil {
			return nil // stopping: the exit was asked for
		}
		k.down.Store(true)
		k.log.Error("the private PostgreSQL exited unexpectedly: restarting it", "pid", pg.PID(), "log", pg.LogPath())
		next, err := pg.Restart(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("the private PostgreSQL in %s died and could not be restarted (see %s): %w", pg.DataDir(), pg.LogPath(), err)
		}
		k.mu.Lock()
		k.pg = next
		k.mu.Unlock()
		k.down.Store(false)
		k.log.Info("the private PostgreSQL is back", "pid", next.PID())
	}
}

func newLogger(cfg *config) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// pool is the database pool's size from the settings.
func (c *config) pool() postgres.Pool {
	return postgres.Pool{MaxConns: c.DBMaxConns, MaxIdleConns: c.DBMaxIdleConns}
}

// listenDebug opens DEBUG_ADDR's listener, refusing the API's own port.
func listenDebug(addr string, apiPort int) (net.Listener, error) {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("DEBUG_ADDR %q: %w", addr, err)
	}
	if port == strconv.Itoa(apiPort) {
		return nil, fmt.Errorf("DEBUG_ADDR %q: profiles are never served on the API port %d: pick another port", addr, apiPort)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("DEBUG_ADDR: %w", err)
	}
	return ln, nil
}
