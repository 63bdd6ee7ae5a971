package pglocal

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// ErrNoBinaries is returned (wrapped) when no PostgreSQL server binaries can be
// found. Its text names both ways out, because the person reading it is
// usually running `go run` or `go test` for the first time on a new machine.
var ErrNoBinaries = errors.New("PostgreSQL server binaries (postgres, initdb) not found; " +
	"install PostgreSQL (e.g. `apt-get install postgresql`) or set DATABASE_URL to an existing server")

// debianBinGlob is where Debian and Ubuntu install one directory per major
// version; the server binaries are deliberately not on PATH there.
const debianBinGlob = "/usr/lib/postgresql/*/bin"

// FindBinDir returns the directory holding the PostgreSQL server binaries
// (postgres and initdb). It tries, in order: the PG_BINDIR environment
// variable, `pg_config --bindir`, the highest version under
// /usr/lib/postgresql/*/bin, and finally a `postgres` found on PATH.
func FindBinDir() (string, error) {
	return binSearch{
		env:      os.Getenv("PG_BINDIR"),
		pgConfig: pgConfigBinDir,
		glob:     debianBinGlob,
		lookPath: exec.LookPath,
	}.find()
}

// binSearch holds the inputs of FindBinDir so that tests can simulate a
// machine without PostgreSQL.
type binSearch struct {
	env      string
	pgConfig func() (string, error)
	glob     string
	lookPath func(string) (string, error)
}

func (b binSearch) find() (string, error) {
	// An explicit PG_BINDIR that is wrong is an error rather than a reason to
	// fall back: silently using another version would be more confusing.
	if b.env != "" {
		if !hasServerBinaries(b.env) {
			return "", fmt.Errorf("pglocal: PG_BINDIR=%q does not contain the postgres and initdb executables", b.env)
		}
		return b.env, nil
	}

	// pg_config may come from a client-only package (libpq-dev), in which case
	// the directory it names has no server in it; check before trusting it.
	if b.pgConfig != nil {
		if dir, err := b.pgConfig(); err == nil && hasServerBinaries(dir) {
			return dir, nil
		}
	}

	if b.glob != "" {
		dirs, _ := filepath.Glob(b.glob) // the only possible error is a bad pattern
		slices.SortFunc(dirs, func(x, y string) int {
			// Highest version first: "16" before "15" before "9.6".
			return compareVersions(filepath.Base(filepath.Dir(y)), filepath.Base(filepath.Dir(x)))
		})
		for _, dir := range dirs {
			if hasServerBinaries(dir) {
				return dir, nil
			}
		}
	}

	// Other distributions (Fedora, Homebrew, Nix) put the server on PATH.
	if b.lookPath != nil {
		if p, err := b.lookPath("postgres"); err == nil {
			if dir := filepath.Dir(p); hasServerBinaries(dir) {
				return dir, nil
			}
		}
	}

	return "", fmt.Errorf("pglocal: %w", ErrNoBinaries)
}

// pgConfigBinDir asks `pg_config --bindir`.
func pgConfigBinDir() (string, error) {
	out, err := exec.Command("pg_config", "--bindir").Output()
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// hasServerBinaries reports whether dir holds executable postgres and initdb.
func hasServerBinaries(dir string) bool {
	for _, name := range []string{"postgres", "initdb"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
			return false
		}
	}
	return true
}

// compareVersions compares dotted numeric versions ("9.6" < "15"); parts that
// are not numbers compare as 0 so that odd directory names sort last.
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(as), len(bs)) {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x - y
		}
	}
	return 0
}
