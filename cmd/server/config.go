package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
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
	Freelancers    int
	MaxQueryTokens int
	MaxQueryDepth  int
	MaxComplexity  int
	MutationRate   float64
	MutationBurst  int
	APQCacheSize   int
	// Time bounds (issue 11).
	OperationTimeout  time.Duration
	ReadHeaderTimeout time.Duration
	BodyTimeout       time.Duration
	IdleTimeout       time.Duration
	// Sign-in limits (issue 11).
	LoginAccountFailures int
	LoginAddrFailures    int
	LoginMaxDelay        time.Duration
}

type setting struct {
	name, def, help string
	set             func(string) error
}

func (c *config) settings() []setting {
	str := func(p *string) func(string) error { return func(v string) error { *p = v; return nil } }
	boolean := func(p *bool) func(string) error {
		return func(v string) (err error) { *p, err = strconv.ParseBool(v); return err }
	}
	return []setting{
		{"ENV", "development", "development or production (production refuses unsafe defaults)", str(&c.Env)},
		{"PORT", "8080", "HTTP port", func(v string) (err error) { c.Port, err = strconv.Atoi(v); return err }},
		{"DATABASE_URL", "", "PostgreSQL URL; empty starts a private PostgreSQL in DATA_DIR/pg", str(&c.DatabaseURL)},
		{"DATA_DIR", "./.data", "where the private PostgreSQL keeps its data", str(&c.DataDir)},
		{"TOKEN_SECRET", "", "HMAC secret for bearer tokens (at least 16 characters; required in production)", str(&c.TokenSecret)},
		{"TOKEN_TTL", "24h", "how long a token is valid", func(v string) (err error) { c.TokenTTL, err = time.ParseDuration(v); return err }},
		{"INTROSPECTION", "", "allow schema introspection (default: on in development, off in production)", boolean(&c.Introspection)},
		{"CHARGE_CONNECTS", "true", "accepting an invitation costs the job's Connects", boolean(&c.ChargeConnects)},
		{"SEED", "", "load the demo data at start (default: on with the private PostgreSQL)", boolean(&c.Seed)},
		{"LOG_LEVEL", "info", "debug, info, warn or error", str(&c.LogLevel)},
		{"LOG_FORMAT", "text", "text or json", str(&c.LogFormat)},
		{"JOB_IDLE_PERIOD", "720h", "a job with no client activity for this long closes as EXPIRED (R2)", func(v string) (err error) { c.JobIdlePeriod, err = time.ParseDuration(v); return err }},
		{"EXPIRY_SWEEP_INTERVAL", "1h", "how often the expiry sweep runs", func(v string) (err error) { c.ExpirySweep, err = time.ParseDuration(v); return err }},
		{"LOADER_WAIT", "10ms", "how long dataloaders collect keys before a batch", func(v string) (err error) { c.LoaderWait, err = time.ParseDuration(v); return err }},
		{"ALLOWED_ORIGINS", "", "comma-separated origins (scheme://host:port) allowed to open websockets besides the server's own; * for any", func(v string) error {
			c.AllowedOrigins = nil
			for _, o := range strings.Split(v, ",") {
				if o = strings.TrimSpace(o); o != "" {
					c.AllowedOrigins = append(c.AllowedOrigins, o)
				}
			}
			return nil
		}},
		{"MAX_SUBSCRIPTIONS", "20", "most subscriptions on one websocket connection", func(v string) (err error) { c.MaxSubscriptions, err = strconv.Atoi(v); return err }},
		{"AUTO_INVITES", "10", "how many AUTOMATIC invitations featuring a job sends to the best matching freelancers (R22)", func(v string) (err error) {
			if c.AutoInvites, err = strconv.Atoi(v); err == nil && (c.AutoInvites < 1 || c.AutoInvites > 1000) {
				err = fmt.Errorf("must be between 1 and 1000")
			}
			return err
		}},
		{"MAX_BODY_BYTES", "1048576", "largest accepted request body", func(v string) (err error) { c.MaxBodyBytes, err = strconv.ParseInt(v, 10, 64); return err }},
		{"MAX_QUERY_TOKENS", "10000", "most tokens in a query document (0: no limit)", nonNegative(&c.MaxQueryTokens)},
		{"MAX_QUERY_DEPTH", "12", "deepest nesting of fields in an operation (0: no limit)", nonNegative(&c.MaxQueryDepth)},
		{"MAX_COMPLEXITY", "10000", "highest operation complexity: 1 per field, a connection's fields times its page size (0: no limit)", nonNegative(&c.MaxComplexity)},
		{"MUTATION_RATE", "10", "mutations a second per user on average (0: no limit)", func(v string) (err error) {
			if c.MutationRate, err = strconv.ParseFloat(v, 64); err == nil && c.MutationRate < 0 {
				err = fmt.Errorf("must not be negative")
			}
			return err
		}},
		{"MUTATION_BURST", "30", "mutations a user may send at once before MUTATION_RATE applies", positive(&c.MutationBurst)},
		{"APQ_CACHE_SIZE", "1000", "how many automatic persisted queries are kept", positive(&c.APQCacheSize)},
		{"OPERATION_TIMEOUT", "15s", "longest a query or mutation may run before it is cancelled with UNAVAILABLE", positiveDuration(&c.OperationTimeout)},
		{"READ_HEADER_TIMEOUT", "10s", "longest a client may take to send a request's headers", positiveDuration(&c.ReadHeaderTimeout)},
		{"BODY_TIMEOUT", "30s", "longest a client may take to send a request's body (then 408 and the connection closes)", positiveDuration(&c.BodyTimeout)},
		{"LOGIN_ACCOUNT_FAILURES", "5", "failed sign-ins per account before each further one must wait (1s, then doubling)", positive(&c.LoginAccountFailures)},
		{"LOGIN_ADDR_FAILURES", "20", "failed sign-ins per client address before each further one must wait (1s, then doubling)", positive(&c.LoginAddrFailures)},
		{"LOGIN_MAX_DELAY", "15m", "longest wait between sign-in attempts after failures", positiveDuration(&c.LoginMaxDelay)},
		{"IDLE_TIMEOUT", "60s", "longest an idle keep-alive connection stays open", positiveDuration(&c.IdleTimeout)},
	}
}

func nonNegative(p *int) func(string) error {
	return func(v string) (err error) {
		if *p, err = strconv.Atoi(v); err == nil && *p < 0 {
			err = fmt.Errorf("must not be negative")
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

func positiveDuration(p *time.Duration) func(string) error {
	return func(v string) (err error) {
		if *p, err = time.ParseDuration(v); err == nil && *p <= 0 {
			err = fmt.Errorf("must be a positive duration")
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
		fmt.Fprintf(fs.Output(), "usage: server [serve|migrate|seed [-freelancers N]|token EMAIL] [flags]\n\nEvery flag can also be set by its environment variable.\n\n")
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
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	if c.Env != "development" && c.Env != "production" {
		return nil, nil, fmt.Errorf("ENV must be development or production, not %q", c.Env)
	}
	if !explicit["INTROSPECTION"] {
		c.Introspection = c.Env == "development"
	}
	if !explicit["SEED"] {
		c.Seed = c.DatabaseURL == ""
	}
	if c.TokenSecret == "" {
		if c.Env == "production" {
			return nil, nil, fmt.Errorf("TOKEN_SECRET is required in production")
		}
		c.TokenSecret = devTokenSecret
	}
	return c, fs.Args(), nil
}
