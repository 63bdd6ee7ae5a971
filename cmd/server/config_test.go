package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hiregraph/hiregraph/internal/server"
)

// notSettings are environment variables the README's table lists that are
// not read by loadConfig (pglocal reads PG_BINDIR itself).
var notSettings = map[string]bool{"PG_BINDIR": true}

// TestREADMESettings: the README's configuration table lists exactly the
// settings, with the defaults the server runs with.
func TestREADMESettings(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([A-Z][A-Z0-9_]*)` \\| ([^|]*) \\|")
	documented := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(readme), -1) {
		documented[m[1]] = strings.TrimSpace(m[2])
	}
	if len(documented) == 0 {
		t.Fatal("no settings table in README.md")
	}
	var c config
	for _, s := range c.settings() {
		cell, ok := documented[s.name]
		if !ok {
			t.Errorf("%s is not in README.md's configuration table", s.name)
			continue
		}
		delete(documented, s.name)
		switch {
		case s.def == "" && strings.HasPrefix(cell, "`"):
			t.Errorf("README.md: %s's default is %s, but it has no fixed default", s.name, cell)
		case s.def != "" && cell != "`"+s.def+"`":
			t.Errorf("README.md: %s's default is %s, want `%s`", s.name, cell, s.def)
		}
	}
	for name := range documented {
		if !notSettings[name] {
			t.Errorf("README.md documents %s, which is not a setting", name)
		}
	}
}

// clearSettings unsets every setting's environment variable for the test.
func clearSettings(t *testing.T) {
	var c config
	for _, s := range c.settings() {
		t.Setenv(s.name, "")
	}
}

// TestConfigDefaults: with nothing set, the server runs with
// server.DefaultOptions, and those pass Validate.
func TestConfigDefaults(t *testing.T) {
	clearSettings(t)
	cfg, _, err := loadConfig(nil)
	if err != nil {
		t.Fatal(err)
	}
	d := server.DefaultOptions()
	if err := d.Validate(); err != nil {
		t.Fatalf("DefaultOptions: %v", err)
	}
	if cfg.MaxBodyBytes != d.MaxBodyBytes || cfg.LoaderWait != d.LoaderWait || cfg.MaxSubscriptions != d.MaxSubscriptions ||
		cfg.MaxQueryTokens != d.MaxQueryTokens || cfg.MaxQueryDepth != d.MaxQueryDepth || cfg.MaxComplexity != d.MaxComplexity ||
		cfg.MutationRate != d.MutationRate || cfg.MutationBurst != d.MutationBurst || cfg.APQCacheSize != d.APQCacheSize {
		t.Errorf("config defaults %+v differ from server.DefaultOptions %+v", cfg, d)
	}
	if cfg.Port != 8080 || cfg.DataDir != "./.data" || !cfg.Introspection || !cfg.Seed || !cfg.ChargeConnects || cfg.AutoInvites != 10 {
		t.Errorf("config defaults: %+v", cfg)
	}
}

// TestConfigZero: 0 means no limit for every limit, and is refused with
// the setting's name where a setting cannot be off; negative values are
// refused everywhere.
func TestConfigZero(t *testing.T) {
	off := []string{"MAX_BODY_BYTES", "MAX_SUBSCRIPTIONS", "MAX_QUERY_TOKENS", "MAX_QUERY_DEPTH", "MAX_COMPLEXITY", "MUTATION_RATE"}
	for _, name := range off {
		t.Run(name+"=0", func(t *testing.T) {
			clearSettings(t)
			t.Setenv(name, "0")
			cfg, _, err := loadConfig(nil)
			if err != nil {
				t.Fatalf("%s=0 (no limit) refused: %v", name, err)
			}
			o := server.DefaultOptions()
			o.MaxBodyBytes, o.MaxSubscriptions, o.MaxQueryTokens = cfg.MaxBodyBytes, cfg.MaxSubscriptions, cfg.MaxQueryTokens
			o.MaxQueryDepth, o.MaxComplexity, o.MutationRate = cfg.MaxQueryDepth, cfg.MaxComplexity, cfg.MutationRate
			if err := o.Validate(); err != nil {
				t.Fatalf("the options for %s=0 are refused: %v", name, err)
			}
		})
		t.Run(name+"=-1", func(t *testing.T) {
			clearSettings(t)
			t.Setenv(name, "-1")
			if _, _, err := loadConfig(nil); err == nil || !strings.Contains(err.Error(), name) {
				t.Fatalf("%s=-1: err = %v, want an error naming it", name, err)
			}
		})
	}
	for _, name := range []string{"MUTATION_BURST", "APQ_CACHE_SIZE", "AUTO_INVITES", "TOKEN_TTL", "JOB_IDLE_PERIOD", "EXPIRY_SWEEP_INTERVAL", "LOADER_WAIT"} {
		t.Run(name+"=0", func(t *testing.T) {
			clearSettings(t)
			v := "0"
			if strings.HasSuffix(name, "TTL") || strings.HasSuffix(name, "PERIOD") || strings.HasSuffix(name, "INTERVAL") || strings.HasSuffix(name, "WAIT") {
				v = "0s"
			}
			t.Setenv(name, v)
			if _, _, err := loadConfig(nil); err == nil || !strings.Contains(err.Error(), name) {
				t.Fatalf("%s=%s cannot be off: err = %v, want an error naming it", name, v, err)
			}
		})
	}
	// The zero Options are a server without limits, except where a value
	// is needed.
	err := server.Options{}.Validate()
	for _, want := range []string{"LoaderWait", "APQCacheSize"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Options{}.Validate() = %v, want it to name %s", err, want)
		}
	}
}

// TestPoolSettings: the pool keeps as many idle connections as it may
// open, unless DB_MAX_IDLE_CONNS says fewer.
func TestPoolSettings(t *testing.T) {
	for _, tc := range []struct {
		args             []string
		wantOpen, wantID int
	}{
		{nil, 40, 40},
		{[]string{"-db-max-conns", "8"}, 8, 8},
		{[]string{"-db-max-conns", "8", "-db-max-idle-conns", "2"}, 8, 2},
		{[]string{"-db-max-conns", "8", "-db-max-idle-conns", "20"}, 8, 8},
	} {
		c, _, err := loadConfig(tc.args)
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if p := c.pool(); p.MaxConns != tc.wantOpen || p.MaxIdleConns != tc.wantID {
			t.Errorf("%v: pool %+v, want %d open and %d idle", tc.args, p, tc.wantOpen, tc.wantID)
		}
	}
	if _, _, err := loadConfig([]string{"-db-max-conns", "0"}); err == nil {
		t.Error("DB_MAX_CONNS=0 accepted")
	}
}

// TestDebugAddrNeverTheAPIPort: pprof's listener refuses the API's port.
func TestDebugAddrNeverTheAPIPort(t *testing.T) {
	if _, err := listenDebug("127.0.0.1:8080", 8080); err == nil || !strings.Contains(err.Error(), "API port") {
		t.Errorf("DEBUG_ADDR on the API port: err = %v", err)
	}
	ln, err := listenDebug("127.0.0.1:0", 8080)
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
}
