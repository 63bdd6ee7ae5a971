package main

import (
	"strings"
	"testing"
)

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
