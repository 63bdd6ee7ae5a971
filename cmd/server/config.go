package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hiregraph/hiregraph/internal/gcfloor"
	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/pglocal"
	"github.com/hiregraph/hiregraph/internal/postgres"
	"github.com/hiregraph/hiregraph/internal/server"
)

// devTokenSecret signs tokens when TOKEN_SECRET is not set. It is public
// (it is in the source), so anyone can forge tokens for a server using it:
// development only; production refuses to start with it.
const devTokenSecret = "hiregraph-development-secret-not-for-production"

// config is read from environment variables, each overridable by a flag of
// the same name in lower case with dashes (PORT → -port).
type config struct {
	Env              string
	Port             int
	DatabaseURL      string
	DataDir          string
	TokenSecret      string
	TokenTTL         time.Duration
	Introspection    bool
	ChargeConnects   bool
	Seed             bool
	LogLevel         string
	LogFormat        string
	MaxBodyBytes     int64
	JobIdlePeriod    time.Duration
	ExpirySweep      time.Duration
	LoaderWait       time.Duration
	AllowedOrigins   []string
	MaxSubscriptions int
	AutoInvites      int
	// Freelancers is the seed subcommand's -freelancers flag (no
	// environment variable): how many generated freelancers to add.
	Freelancers int
	// Jobs is the seed subcommand's -jobs flag: how many generated open
	// jobs to add (load data for searchJobs).
	Jobs int
	// Invitations is the seed subcommand's -invitations flag: how many
	// generated invitations to add (load data for the invitations page).
	Invitations    int
	DBMaxConns     int
	DBMaxIdleConns int
	DebugAddr      string
	GCMinHeapMB    int
	GCLargePercent int
	MaxQueryTokens int
	MaxQueryDepth  int
	MaxComplexity  int
	MutationRate   float64
	MutationBurst  int
	APQCacheSize   int
	// SignupConnects is the free Connects grant of a new freelancer.
	SignupConnects int
	// ConnectsPackages are the packages buyConnects sells.
	ConnectsPackages []market.ConnectsPackage
	// Time bounds and sign-in limits (issue 11).
	OperationTimeout     time.Duration
	ReadHeaderTimeout    time.Duration
	BodyTimeout          time.Duration
	IdleTimeout          time.Duration
	LoginAccountFailures int
	LoginAddrFailures    int
	LoginMaxDelay        time.Duration
	// Events is the event transport: "postgres" (NOTIFY) or "nats".
	Events     string
	NatsURL    string
	NatsPrefix string
}

// setting is one environment variable (and its flag). Its default is the
// text of the value the server runs with when it is not set: for the HTTP
// side taken from server.DefaultOptions, for the rules' periods and counts
// from market, so that each default is written once. README's table lists
// the same names and defaults (TestREADMESettings).
//
// One meaning of 0 throughout: for a limit, 0 means no limit (the check is
// off); a setting that cannot be off refuses 0 with an error naming it.
type setting struct {
	name, def, help string
	set             func(string) error
}

func (c *config) settings() []setting {
	str := func(p *string) func(string) error { return func(v string) error { *p = v; return nil } }
	boolean := func(p *bool) func(string) error {
		return func(v string) (err error) { *p, err = strconv.ParseBool(v); return err }
	}
	d := server.DefaultOptions()
	itoa := strconv.Itoa
	return []setting{
		{"ENV", "development", "development or production (production refuses unsafe defaults)", str(&c.Env)},
		{"PORT", "8080", "HTTP port (0: any free port)", func(v string) (err error) {
			if c.Port, err = strconv.Atoi(v); err == nil && (c.Port < 0 || c.Port > 65535) {
				err = fmt.Errorf("must be a port number, 0 to 65535")
			}
			return err
		}},
		{"DATABASE_URL", "", "PostgreSQL URL; empty starts a private PostgreSQL in DATA_DIR/pg", str(&c.DatabaseURL)},
		{"DATA_DIR", "./.data", "where the private PostgreSQL keeps its data (as root, when the postgres account cannot reach it: below " + pglocal.DefaultFallbackRoot + ")", str(&c.DataDir)},
		{"TOKEN_SECRET", "", "HMAC secret for bearer tokens (at least 16 characters; required in production)", str(&c.TokenSecret)},
		{"TOKEN_TTL", "24h", "how long a token is valid", positiveDuration(&c.TokenTTL)},
		{"INTROSPECTION", "", "allow schema introspection (default: on in development, off in production)", boolean(&c.Introspection)},
		{"CHARGE_CONNECTS", "true", "accepting an invitation costs the job's Connects", boolean(&c.ChargeConnects)},
		{"SEED", "", "load the demo data at start (default: on with the private PostgreSQL)", boolean(&c.Seed)},
		{"LOG_LEVEL", "info", "debug, info, warn or error", oneOf(&c.LogLevel, "debug", "info", "warn", "error")},
		{"LOG_FORMAT", "text", "text or json", oneOf(&c.LogFormat, "text", "json")},
		{"JOB_IDLE_PERIOD", duration(market.DefaultJobIdlePeriod), "a job with no client activity for this long closes as EXPIRED (R2)", positiveDuration(&c.JobIdlePeriod)},
		{"EXPIRY_SWEEP_INTERVAL", "1h", "how often the expiry sweep runs", positiveDuration(&c.ExpirySweep)},
		{"DB_MAX_CONNS", itoa(postgres.DefaultMaxConns), "most open connections to PostgreSQL (at least 1)", positive(&c.DBMaxConns)},
		{"DB_MAX_IDLE_CONNS", "", "connections kept open when idle (default: DB_MAX_CONNS, so that the pool never closes and reopens connections under load)", positive(&c.DBMaxIdleConns)},
		{"DEBUG_ADDR", "", "address (such as 127.0.0.1:6060) of a separate listener for /debug/pprof; empty: off. Never the API port", str(&c.DebugAddr)},
		{"GC_MIN_HEAP_MB", itoa(gcfloor.Default >> 20), "the garbage collector's heap target never falls below this many MiB while the live heap is small (0: Go's own pacing; off when GOGC is set)", nonNegative(&c.GCMinHeapMB)},
		{"GC_LARGE_HEAP_PERCENT", itoa(gcfloor.DefaultLarge), "GOGC once the live heap is past GC_MIN_HEAP_MB (many websockets): the heap grows by this per cent of the live heap between collections (Go's default is 100; off when GOGC is set)", positive(&c.GCLargePercent)},
		{"LOADER_WAIT", duration(d.LoaderWait), "how long dataloaders collect keys before a batch", positiveDuration(&c.LoaderWait)},
		{"ALLOWED_ORIGINS", "", "comma-separated origins (scheme://host[:port], scheme://host:* for any port, or * for any origin without credentials) that may call the API from a browser and open websockets, besides the server's own (default: http://localhost:* and http://127.0.0.1:* in development, none in production)", func(v string) error {
			c.AllowedOrigins = nil
			for _, o := range strings.Split(v, ",") {
				if o = strings.TrimSpace(o); o != "" {
					c.AllowedOrigins = append(c.AllowedOrigins, o)
				}
			}
			return nil
		}},
		{"MAX_SUBSCRIPTIONS", itoa(d.MaxSubscriptions), "most subscriptions on one websocket connection (0: no limit)", nonNegative(&c.MaxSubscriptions)},
		{"AUTO_INVITES", itoa(market.DefaultAutoInvites), "how many AUTOMATIC invitations featuring a job sends to the best matching freelancers (R22), 1 to 1000", func(v string) (err error) {
			if c.AutoInvites, err = strconv.Atoi(v); err == nil && (c.AutoInvites < 1 || c.AutoInvites > 1000) {
				err = fmt.Errorf("must be between 1 and 1000")
			}
			return err
		}},
		{"MAX_BODY_BYTES", strconv.FormatInt(d.MaxBodyBytes, 10), "largest accepted request body (0: no limit)", func(v string) (err error) {
			if c.MaxBodyBytes, err = strconv.ParseInt(v, 10, 64); err == nil && c.MaxBodyBytes < 0 {
				err = fmt.Errorf("must not be negative")
			}
			return err
		}},
		{"MAX_QUERY_TOKENS", itoa(d.MaxQueryTokens), "most tokens in a query document (0: no limit)", nonNegative(&c.MaxQueryTokens)},
		{"MAX_QUERY_DEPTH", itoa(d.MaxQueryDepth), "deepest nesting of fields in an operation (0: no limit)", nonNegative(&c.MaxQueryDepth)},
		{"MAX_COMPLEXITY", itoa(d.MaxComplexity), "highest operation complexity: 1 per field, a connection's fields times its page size (0: no limit)", nonNegative(&c.MaxComplexity)},
		{"MUTATION_RATE", strconv.FormatFloat(d.MutationRate, 'f', -1, 64), "mutations a second per user on average (0: no limit)", func(v string) (err error) {
			if c.MutationRate, err = strconv.ParseFloat(v, 64); err == nil && (c.MutationRate < 0 || math.IsNaN(c.MutationRate) || math.IsInf(c.MutationRate, 0)) {
				err = fmt.Errorf("must be a number, 0 or more")
			}
			return err
		}},
		{"MUTATION_BURST", itoa(d.MutationBurst), "mutations a user may send at once before MUTATION_RATE applies (at least 1)", positive(&c.MutationBurst)},
		{"APQ_CACHE_SIZE", itoa(d.APQCacheSize), "how many automatic persisted queries are kept (at least 1)", positive(&c.APQCacheSize)},
		{"SIGNUP_CONNECTS", itoa(market.DefaultSignupConnects), "free Connects a freelancer starts with at sign-up (0: none)", nonNegative(&c.SignupConnects)},
		{"CONNECTS_PACKAGES", market.DefaultConnectsPackages, "Connects packages on sale: comma-separated connects:price pairs in USD", func(v string) (err error) {
			c.ConnectsPackages, err = market.ParseConnectsPackages(v)
			return err
		}},
		{"OPERATION_TIMEOUT", duration(d.OperationTimeout), "longest a query or mutation may run before it is cancelled with UNAVAILABLE (0: no limit)", nonNegativeDuration(&c.OperationTimeout)},
		{"READ_HEADER_TIMEOUT", duration(d.ReadHeaderTimeout), "longest a client may take to send a request's headers (0: no limit)", nonNegativeDuration(&c.ReadHeaderTimeout)},
		{"BODY_TIMEOUT", duration(d.BodyTimeout), "longest a client may take to send a request's body, then 408 and the connection closes (0: no limit)", nonNegativeDuration(&c.BodyTimeout)},
		{"IDLE_TIMEOUT", duration(d.IdleTimeout), "longest an idle keep-alive connection stays open (0: no limit)", nonNegativeDuration(&c.IdleTimeout)},
		{"LOGIN_ACCOUNT_FAILURES", itoa(hiring.DefaultLoginAccountFailures), "failed sign-ins per account before each further one must wait (1s, then doubling; at least 1)", positive(&c.LoginAccountFailures)},
		{"LOGIN_ADDR_FAILURES", itoa(hiring.DefaultLoginAddrFailures), "failed sign-ins per client address before each further one must wait (1s, then doubling; at least 1)", positive(&c.LoginAddrFailures)},
		{"LOGIN_MAX_DELAY", duration(hiring.DefaultLoginMaxDelay), "longest wait between sign-in attempts after failures", positiveDuration(&c.LoginMaxDelay)},
		{"EVENTS", "postgres", "event transport between instances: postgres (NOTIFY, every instance hears every event) or nats (JetStream, each instance receives its own clients' events)", oneOf(&c.Events, "postgres", "nats")},
		{"NATS_URL", "nats://127.0.0.1:4222", "NATS server(s) for EVENTS=nats, comma-separated", str(&c.NatsURL)},
		{"NATS_PREFIX", "hiregraph", "the subject prefix (and JetStream stream name) of this deployment's events, for EVENTS=nats", func(v string) error {
			if strings.ContainsAny(v, " *>") || strings.HasPrefix(v, ".") || strings.HasSuffix(v, ".") {
				return fmt.Errorf("must be a NATS subject prefix such as hiregraph or prod.hiregraph")
			}
			c.NatsPrefix = v
			return nil
		}},
	}
}

// duration writes d the way the README does: 720h, 1h, 10ms.
func duration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func nonNegativeDuration(p *time.Duration) func(string) error {
	return func(v string) (err error) {
		if *p, err = time.ParseDuration(v); err == nil && *p < 0 {
			err = fmt.Errorf("must not be negative (0: no limit)")
		}
		return err
	}
}

func positiveDuration(p *time.Duration) func(string) error {
	return func(v string) (err error) {
		if *p, err = time.ParseDuration(v); err == nil && *p <= 0 {
			err = fmt.Errorf("must be positive")
		}
		return err
	}
}

// oneOf accepts one of allowed, in any case.
func oneOf(p *string, allowed ...string) func(string) error {
	return func(v string) error {
		v = strings.ToLower(v)
		if !slices.Contains(allowed, v) {
			return fmt.Errorf("must be one of %s", strings.Join(allowed, ", "))
		}
		*p = v
		return nil
	}
}

func nonNegative(p *int) func(string) error {
	return func(v string) (err error) {
		if *p, err = strconv.Atoi(v); err == nil && *p < 0 {
			err = fmt.Errorf("must not be negative (0: no limit)")
		}
		return err
	}
}

func positive(p *int) func(string) error {
	return func(v string) (err error) {
		if *p, err = strconv.Atoi(v); err == nil && *p < 1 {
			err = fmt.Errorf("must be at least 1")
		}
		return err
	}
}

func flagName(env string) string { return strings.ToLower(strings.ReplaceAll(env, "_", "-")) }

// loadConfig reads defaults, then the environment, then flags.
func loadConfig(args []string) (*config, []string, error) {
	c := &config{}
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: server [serve|migrate|seed [-freelancers N] [-invitations N] [-jobs N]|token EMAIL] [flags]\n\nEvery flag can also be set by its environment variable.\n\n")
		fs.PrintDefaults()
	}
	explicit := map[string]bool{}
	for _, s := range c.settings() {
		def := s.def
		if v, ok := os.LookupEnv(s.name); ok && v != "" {
			def, explicit[s.name] = v, true
		}
		if def != "" {
			if err := s.set(def); err != nil {
				return nil, nil, fmt.Errorf("%s=%q: %w", s.name, def, err)
			}
		}
		set := s.set
		name := s.name
		fs.Func(flagName(s.name), fmt.Sprintf("%s (env %s, default %q)", s.help, s.name, s.def), func(v string) error {
			explicit[name] = true
			return set(v)
		})
	}
	fs.IntVar(&c.Freelancers, "freelancers", 0, "seed only: also add this many generated freelancers with profiles (load data)")
	fs.IntVar(&c.Invitations, "invitations", 0, "seed only: also add this many invitations (load data: jobs of the demo client, each inviting the demo freelancer and 99 generated freelancers)")
	fs.IntVar(&c.Jobs, "jobs", 0, "seed only: also add this many generated open jobs (load data)")
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	if c.Env != "development" && c.Env != "production" {
		return nil, nil, fmt.Errorf("ENV must be development or production, not %q", c.Env)
	}
	if !explicit["INTROSPECTION"] {
		c.Introspection = c.Env == "development"
	}
	if !explicit["ALLOWED_ORIGINS"] && c.Env == "development" {
		c.AllowedOrigins = server.DevelopmentOrigins
	}
	if err := server.ParseOrigins(c.AllowedOrigins); err != nil {
		return nil, nil, fmt.Errorf("ALLOWED_ORIGINS: %w", err)
	}
	if !explicit["SEED"] {
		c.Seed = c.DatabaseURL == ""
	}
	if c.DBMaxIdleConns == 0 || c.DBMaxIdleConns > c.DBMaxConns {
		c.DBMaxIdleConns = c.DBMaxConns
	}
	if c.TokenSecret == "" {
		if c.Env == "production" {
			return nil, nil, fmt.Errorf("TOKEN_SECRET is required in production")
		}
		c.TokenSecret = devTokenSecret
	}
	return c, fs.Args(), nil
}
