package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The layers, from the outside in. A package may import packages of a lower
// rank only: never one of its own rank (postgres and realtime do not know
// each other) and never one above it. This is the direction of
// docs/architecture.md:
//
//	cmd → server → graph → hiring → {market, postgres, realtime}
//	postgres → market, realtime → market, market → nothing
//
// Skipping a layer downwards is allowed (server hands hiring and the realtime
// broker to graph and to its metrics), with one exception: the database is
// reached through hiring. Only hiring, the composition root (cmd) and test
// helpers import postgres, so SQL cannot leak into the API layers.
//
// The supporting packages sit where their imports put them: auth (tokens and
// the viewer in the context; market's errors) beside postgres and realtime,
// used by hiring, graph and server; contactinfo (pure text analysis, used by
// hiring), pglocal (starts PostgreSQL; used by cmd and test helpers) and
// gcfloor (the GC's heap floor, for cmd) beside market, importing nothing
// of the module.
//
// Test helpers (internal/wstest, internal/postgres/postgrestest, and any
// package whose name ends in "test", such as this one) may import any
// package but cmd; no production code may import them. Tests (_test.go
// files) may import their own layer and below, postgres included (they set
// up data through the store), and the test helpers.
var rank = map[string]int{
	"cmd/server":                60,
	"cmd/loadgen":               60,
	"internal/tools/genrewrite": 60, // a go generate step: reads and writes graph/generated.go as text
	"internal/server":           50,
	"graph":                     40,
	"graph/model":               35,
	"internal/hiring":           30,
	"internal/natsbus":          25, // the NATS event transport: relays the store's outbox into the broker
	"internal/postgres":         20,
	"internal/realtime":         20,
	"internal/auth":             20,
	"internal/market":           10,
	"internal/contactinfo":      10,
	"internal/pglocal":          10,
	"internal/gcfloor":          10, // the runtime's GC setting, for cmd/server; imports nothing of the module
}

// database is imported only by these (and by test helpers and tests).
var database = struct {
	pkg string
	by  []string
}{"internal/postgres", []string{"internal/hiring", "internal/natsbus", "cmd/server"}}

// pure packages import the standard library only.
var pure = []string{"internal/market"}

func isHelper(pkg string) bool {
	return strings.HasSuffix(pkg[strings.LastIndexByte(pkg, '/')+1:], "test")
}

type goPackage struct {
	ImportPath   string
	Imports      []string
	TestImports  []string
	XTestImports []string
}

// modulePackages lists the module's packages with their imports, paths
// relative to the module (external imports are kept whole).
func modulePackages(t *testing.T) (module string, pkgs []goPackage) {
	t.Helper()
	out, err := exec.Command("go", "list", "-m").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", stderrOf(err))
	}
	module = strings.TrimSpace(string(out))
	out, err = exec.Command("go", "list", "-json", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list -json: %v", stderrOf(err))
	}
	rel := func(p string) string {
		if p == module {
			return "."
		}
		if r, ok := strings.CutPrefix(p, module+"/"); ok {
			return r
		}
		return p
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p goPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		p.ImportPath = rel(p.ImportPath)
		for _, l := range []*[]string{&p.Imports, &p.TestImports, &p.XTestImports} {
			for i, imp := range *l {
				(*l)[i] = rel(imp)
			}
		}
		pkgs = append(pkgs, p)
	}
	return module, pkgs
}

func stderrOf(err error) error {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return fmt.Errorf("%w: %s", err, ee.Stderr)
	}
	return err
}

func internal(imp string) bool {
	return imp == "graph" || imp == "cmd" || strings.HasPrefix(imp, "graph/") ||
		strings.HasPrefix(imp, "internal/") || strings.HasPrefix(imp, "cmd/")
}

func standard(imp string) bool {
	first, _, _ := strings.Cut(imp, "/")
	return !strings.Contains(first, ".") && !internal(imp)
}

// violations checks one package's imports against the layers.
func violations(p goPackage) []string {
	var out []string
	from := p.ImportPath
	fromRank, known := rank[from]
	helper := isHelper(from)
	if !known && !helper {
		return []string{fmt.Sprintf("%s has no layer: give it a rank in internal/archtest/layering_test.go", from)}
	}
	check := func(imp string, test bool) {
		if !internal(imp) {
			return
		}
		impRank, impKnown := rank[imp]
		switch {
		case isHelper(imp):
			if !test && !helper {
				out = append(out, fmt.Sprintf("%s imports the test helper %s outside its tests", from, imp))
			}
		case !impKnown:
			out = append(out, fmt.Sprintf("%s imports %s, which has no layer", from, imp))
		case helper:
			if strings.HasPrefix(imp, "cmd/") {
				out = append(out, fmt.Sprintf("test helper %s imports the command %s", from, imp))
			}
		case test:
			if impRank > fromRank {
				out = append(out, fmt.Sprintf("%s's tests import %s, a layer above it (%d > %d)", from, imp, impRank, fromRank))
			}
		case impRank >= fromRank:
			out = append(out, fmt.Sprintf("%s (rank %d) imports %s (rank %d): imports point down the layers only", from, fromRank, imp, impRank))
		case imp == database.pkg && !slices.Contains(database.by, from):
			out = append(out, fmt.Sprintf("%s imports %s: only %v reach the database", from, imp, database.by))
		}
	}
	for _, imp := range p.Imports {
		check(imp, false)
		if slices.Contains(pure, from) && !standard(imp) {
			out = append(out, fmt.Sprintf("%s must import the standard library only, and imports %s", from, imp))
		}
	}
	for _, imp := range append(slices.Clone(p.TestImports), p.XTestImports...) {
		if imp != from {
			check(imp, true)
		}
	}
	return out
}

// TestLayering fails when an import points the wrong way (see rank).
func TestLayering(t *testing.T) {
	_, pkgs := modulePackages(t)
	if len(pkgs) < len(rank) {
		t.Fatalf("go list found %d packages, fewer than the %d with a layer", len(pkgs), len(rank))
	}
	seen := map[string]bool{}
	for _, p := range pkgs {
		seen[p.ImportPath] = true
		for _, v := range violations(p) {
			t.Error(v)
		}
	}
	for pkg := range rank {
		if !seen[pkg] {
			t.Errorf("%s has a layer but no longer exists: drop it from rank", pkg)
		}
	}
}

// TestLayeringCatchesReversedArrows: the check itself refuses each kind of
// wrong arrow (so a passing TestLayering means something).
func TestLayeringCatchesReversedArrows(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    goPackage
	}{
		{"market imports postgres", goPackage{ImportPath: "internal/market", Imports: []string{"internal/postgres"}}},
		{"market imports a module outside the standard library", goPackage{ImportPath: "internal/market", Imports: []string{"github.com/lib/pq"}}},
		{"realtime imports postgres", goPackage{ImportPath: "internal/realtime", Imports: []string{"internal/postgres"}}},
		{"postgres imports hiring", goPackage{ImportPath: "internal/postgres", Imports: []string{"internal/hiring"}}},
		{"hiring imports graph", goPackage{ImportPath: "internal/hiring", Imports: []string{"graph"}}},
		{"graph imports server", goPackage{ImportPath: "graph", Imports: []string{"internal/server"}}},
		{"server imports postgres", goPackage{ImportPath: "internal/server", Imports: []string{"internal/postgres"}}},
		{"graph imports postgres", goPackage{ImportPath: "graph", Imports: []string{"internal/postgres"}}},
		{"server imports a test helper", goPackage{ImportPath: "internal/server", Imports: []string{"internal/wstest"}}},
		{"market's tests import hiring", goPackage{ImportPath: "internal/market", XTestImports: []string{"internal/hiring"}}},
		{"a package without a layer", goPackage{ImportPath: "internal/newthing"}},
	} {
		if len(violations(tc.p)) == 0 {
			t.Errorf("%s: not reported", tc.name)
		}
	}
	for _, p := range []goPackage{
		{ImportPath: "internal/server", Imports: []string{"graph", "internal/hiring", "internal/market"}},
		{ImportPath: "internal/server", TestImports: []string{"internal/postgres", "internal/wstest", "internal/postgres/postgrestest"}},
		{ImportPath: "internal/postgres/postgrestest", Imports: []string{"internal/postgres", "internal/pglocal"}},
	} {
		if v := violations(p); len(v) != 0 {
			t.Errorf("%s: %v", p.ImportPath, v)
		}
	}
}
