package pglocal

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// account is the OS user that initdb and postgres run as.
type account struct {
	name string
	uid  uint32
	gid  uint32
	// cred is nil when running as the current user (not root).
	cred *syscall.Credential
}

// runAccount picks the OS account for the server. PostgreSQL refuses to run
// as root ("root" execution of the PostgreSQL server is not permitted), and
// CI and dev containers run as root, so as root we drop to the `postgres`
// account that the distribution packages create, or to `nobody` where it does
// not exist. Otherwise the server runs as the current user.
func runAccount() (account, error) {
	if os.Geteuid() != 0 {
		return account{name: "current user", uid: uint32(os.Geteuid()), gid: uint32(os.Getegid())}, nil
	}
	var errs []error
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err := errors.Join(err1, err2); err != nil {
			errs = append(errs, fmt.Errorf("user %s: %w", name, err))
			continue
		}
		// Groups is left empty so that the child drops root's supplementary
		// groups too.
		return account{
			name: name,
			uid:  uint32(uid),
			gid:  uint32(gid),
			cred: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)},
		}, nil
	}
	return account{}, fmt.Errorf("pglocal: running as root and no unprivileged account (postgres, nobody) to run PostgreSQL as: %w", errors.Join(errs...))
}

// prepareDataDir makes sure dir can be used as a data directory by acct and
// reports whether it still needs initdb. It never touches the contents of an
// existing data directory other than fixing its ownership when running as
// root.
func prepareDataDir(dir string, acct account) (needInit bool, err error) {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// Parents are created world-traversable (0755) so that the
		// unprivileged account can reach the data directory below them.
		if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
			return false, fmt.Errorf("pglocal: create parent of data dir: %w", err)
		}
		// PostgreSQL insists on 0700 (or 0750) for its data directory.
		if err := os.Mkdir(dir, 0o700); err != nil {
			return false, fmt.Errorf("pglocal: create data dir: %w", err)
		}
		needInit = true
	case err != nil:
		return false, fmt.Errorf("pglocal: data dir: %w", err)
	case !fi.IsDir():
		return false, fmt.Errorf("pglocal: data dir %s exists and is not a directory", dir)
	default:
		entries, err := os.ReadDir(dir)
		if err != nil {
			return false, fmt.Errorf("pglocal: read data dir: %w", err)
		}
		if len(entries) == 0 {
			// An empty directory (e.g. from os.MkdirTemp) holds nothing that
			// initdb could destroy, and initdb accepts it.
			needInit = true
		} else if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); err != nil {
			return false, fmt.Errorf("pglocal: %s exists but is not a PostgreSQL data directory (no PG_VERSION); "+
				"refusing to initialize over existing files: remove it or choose another data dir", dir)
		}
	}

	if acct.cred != nil {
		if err := chownForAccount(dir, acct, needInit); err != nil {
			return false, err
		}
		if err := checkTraversable(filepath.Dir(dir), acct); err != nil {
			return false, err
		}
	}
	return needInit, nil
}

// DefaultFallbackRoot is the usual Options.FallbackRoot: a system folder
// that root can create and the `postgres` account can traverse.
const DefaultFallbackRoot = "/var/lib/hiregraph"

// ResolveDataDir returns the folder Start uses for dataDir with the given
// fallbackRoot (see Options.FallbackRoot): dataDir itself (made absolute)
// when the account that runs PostgreSQL can reach it, else the stable folder
// below fallbackRoot that stands for it. "server token" and "server migrate"
// use it to find the cluster a running server uses.
func ResolveDataDir(dataDir, fallbackRoot string) (string, error) {
	dataDir, err := filepath.Abs(dataDir)
	if err != nil {
		return "", fmt.Errorf("pglocal: %w", err)
	}
	if fallbackRoot == "" {
		return dataDir, nil
	}
	acct, err := runAccount()
	if err != nil {
		return "", err
	}
	return resolveDataDir(dataDir, fallbackRoot, acct)
}

// resolveDataDir is ResolveDataDir for an absolute dataDir and a known
// account. Only root can need the fallback: any other user runs PostgreSQL
// as itself, and can reach any folder it can create.
func resolveDataDir(dataDir, fallbackRoot string, acct account) (string, error) {
	if acct.cred == nil || checkTraversable(reachableAncestor(filepath.Dir(dataDir)), acct) == nil {
		return dataDir, nil
	}
	root, err := filepath.Abs(fallbackRoot)
	if err != nil {
		return "", fmt.Errorf("pglocal: %w", err)
	}
	sum := sha256.Sum256([]byte(dataDir))
	home := filepath.Join(root, hex.EncodeToString(sum[:8]))
	if err := os.MkdirAll(home, 0o755); err != nil {
		return "", fmt.Errorf("pglocal: create %s for the data dir %s: %w", home, dataDir, err)
	}
	// MkdirAll leaves existing folders as they are; the account must get
	// through these two.
	for _, d := range []string{root, home} {
		if err := os.Chmod(d, 0o755); err != nil {
			return "", fmt.Errorf("pglocal: %w", err)
		}
	}
	// Say, next to the cluster, which checkout it belongs to.
	note := "PostgreSQL data of the hiregraph checkout whose data dir is\n" + dataDir +
		"\n(out of reach of the " + acct.name + " account that runs PostgreSQL, so kept here).\n"
	if err := os.WriteFile(filepath.Join(home, "SOURCE"), []byte(note), 0o644); err != nil {
		return "", fmt.Errorf("pglocal: %w", err)
	}
	return filepath.Join(home, "pg"), nil
}

// reachableAncestor returns dir, or its nearest existing ancestor when dir
// does not exist yet (prepareDataDir creates the missing ones 0755).
func reachableAncestor(dir string) string {
	for {
		if _, err := os.Stat(dir); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return dir
		}
		dir = parent
	}
}

// chownForAccount hands dir to acct (we are root). A new or empty directory is
// just chowned; an existing data directory owned by someone else (say, created
// when the `postgres` account did not exist yet) is chowned recursively,
// because postgres refuses a data directory it does not own.
func chownForAccount(dir string, acct account, empty bool) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("pglocal: data dir: %w", err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if ok && st.Uid == acct.uid && st.Gid == acct.gid && fi.Mode().Perm()&0o077 == 0 {
		return nil
	}
	if empty {
		if err := os.Chown(dir, int(acct.uid), int(acct.gid)); err != nil {
			return fmt.Errorf("pglocal: chown data dir to %s: %w", acct.name, err)
		}
		return os.Chmod(dir, 0o700)
	}
	if ok && st.Uid == acct.uid {
		return nil // owned by the right user; postgres checks the mode itself
	}
	err = filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, int(acct.uid), int(acct.gid))
	})
	if err != nil {
		return fmt.Errorf("pglocal: chown data dir to %s: %w", acct.name, err)
	}
	return nil
}

// checkTraversable verifies that acct can reach dir, i.e. has search (x)
// permission on dir and every ancestor. Without this, initdb and postgres
// fail with a bare "Permission denied" that does not say which directory is
// at fault. A typical culprit is a 0700 directory from os.MkdirTemp or /root.
func checkTraversable(dir string, acct account) error {
	for d := dir; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return fmt.Errorf("pglocal: %w", err)
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			perm := fi.Mode().Perm()
			var bit fs.FileMode = 0o001
			switch {
			case st.Uid == acct.uid:
				bit = 0o100
			case st.Gid == acct.gid:
				bit = 0o010
			}
			if perm&bit == 0 {
				return fmt.Errorf("pglocal: directory %s (mode %04o) is not traversable by the %s account (uid %d) that runs PostgreSQL; "+
					"chmod o+x it or put the data dir elsewhere", d, perm, acct.name, acct.uid)
			}
		}
		if parent := filepath.Dir(d); parent == d {
			return nil
		}
	}
}

// checkNotInUse returns an error if a live postgres owns dir according to its
// postmaster.pid. A pid file left by a killed server whose pid is dead is left
// for postgres, which replaces it. A pid file whose pid now belongs to some
// other program (common after a container restart, where pids start over) is
// removed: postgres would otherwise refuse to start, and no server owns it.
func checkNotInUse(dir string, acct account, logf func(string, ...any)) error {
	pidFile := filepath.Join(dir, "postmaster.pid")
	data, err := os.ReadFile(pidFile)
	if err != nil {
		return nil // no pid file: nobody claims the directory
	}
	line, _, _ := strings.Cut(string(data), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || pid <= 0 {
		return nil // malformed; postgres copes with it
	}
	if !processAlive(pid) {
		return nil
	}
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err == nil && !isPostgresComm(string(comm)) {
		logf("removing stale postmaster.pid: pid now belongs to another program", "pid", pid, "comm", strings.TrimSpace(string(comm)))
		if err := os.Remove(pidFile); err != nil {
			return fmt.Errorf("pglocal: remove stale %s: %w", pidFile, err)
		}
		return nil
	}
	return fmt.Errorf("pglocal: data dir %s in use by pid %d (another postgres server is running on it): %w", dir, pid, ErrInUse)
}

func isPostgresComm(comm string) bool {
	comm = strings.TrimSpace(comm)
	return strings.HasPrefix(comm, "postgres") || strings.HasPrefix(comm, "postmaster")
}

// processAlive reports whether pid is a running (not zombie) process.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	if err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	// A zombie still answers kill(0) but is dead; its parent (maybe a PID 1
	// that never reaps) just has not collected it.
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	// The state follows the parenthesised command name, which may itself
	// contain spaces or parentheses.
	if i := strings.LastIndexByte(string(stat), ')'); i >= 0 && i+2 < len(stat) {
		return stat[i+2] != 'Z' && stat[i+2] != 'X'
	}
	return true
}
