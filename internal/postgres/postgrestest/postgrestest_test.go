package postgrestest

import (
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"
)

// TestNewIsolated checks that each New gives a separate, migrated database.
func TestNewIsolated(t *testing.T) {
	db1, dsn1 := New(t)
	db2, dsn2 := New(t)
	if dsn1 == dsn2 {
		t.Fatalf("both databases have DSN %s", dsn1)
	}

	var name1, name2 string
	if err := db1.Get(&name1, "SELECT current_database()"); err != nil {
		t.Fatal(err)
	}
	if err := db2.Get(&name2, "SELECT current_database()"); err != nil {
		t.Fatal(err)
	}
	if name1 == name2 {
		t.Fatalf("both pools are connected to database %s", name1)
	}
	if !strings.Contains(dsn1, "/"+name1+"?") {
		t.Errorf("DSN %s does not name database %s", dsn1, name1)
	}

	countUsers := func(db *sqlx.DB) int {
		t.Helper()
		var n int
		if err := db.Get(&n, "SELECT count(*) FROM users"); err != nil {
			t.Fatalf("count users: %v", err)
		}
		return n
	}
	if n1, n2 := countUsers(db1), countUsers(db2); n1 != 0 || n2 != 0 {
		t.Fatalf("fresh databases have %d and %d users, want 0", n1, n2)
	}

	if _, err := db1.Exec(`INSERT INTO users (email, name, password_hash) VALUES ('a@example.com', 'A', 'x')`); err != nil {
		t.Fatal(err)
	}
	if n1, n2 := countUsers(db1), countUsers(db2); n1 != 1 || n2 != 0 {
		t.Fatalf("after insert into the first: %d and %d users, want 1 and 0", n1, n2)
	}
}

func TestParseURL(t *testing.T) {
	conf, err := parseURL("postgres://postgres:secret@127.0.0.1:5433/admin?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	if conf.Host != "127.0.0.1" || conf.Port != "5433" || conf.User != "postgres" || conf.Password != "secret" ||
		conf.Database != "admin" || conf.Options != "sslmode=disable" || conf.DriverName != "postgres" {
		t.Fatalf("parseURL = %+v", conf)
	}
	conf, err = parseURL("postgresql://[::1]/")
	if err != nil || conf.Host != "[::1]" || conf.Port != "5432" || conf.User != "postgres" || conf.Database != "postgres" {
		t.Fatalf("parseURL defaults = %+v, %v", conf, err)
	}
	if _, err := parseURL("host=127.0.0.1 port=5432"); err == nil {
		t.Fatal("parseURL accepted a key=value DSN")
	}
}
