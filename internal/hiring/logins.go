package hiring

import (
	"math"
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/hiregraph/hiregraph/internal/market"
)

// Sign-in limits: failed sign-ins are counted per account (the email as
// typed, lower-cased, whether an account has it or not, so that the limit
// reveals nothing) and per client address. After the free failures, each
// further failure makes the key wait before its next attempt, twice as long
// as the previous wait (1 s, 2 s, 4 s ... up to LoginMaxDelay). An attempt
// made while waiting is refused with RATE_LIMITED and costs no password
// hashing. A successful sign-in clears its account's count; a key quiet for
// loginForget is forgotten. The counts live in memory (bounded LRUs) per
// process.
const (
	// DefaultLoginAccountFailures and DefaultLoginAddrFailures are the free
	// failures per account and per client address.
	DefaultLoginAccountFailures = 5
	DefaultLoginAddrFailures    = 20
	// DefaultLoginMaxDelay caps the wait between attempts.
	DefaultLoginMaxDelay = 15 * time.Minute

	loginFirstDelay = time.Second
	loginForget     = time.Hour
	loginMaxKeys    = 10000
)

type loginFailures struct {
	n     int
	last  time.Time
	until time.Time // no attempt before
}

type loginGuard struct {
	free     [2]int // account, address
	maxDelay time.Duration
	mu       sync.Mutex
	keys     [2]*lru.Cache[string, *loginFailures]
}

func newLoginGuard(cfg Config) *loginGuard {
	g := &loginGuard{free: [2]int{cfg.LoginAccountFailures, cfg.LoginAddrFailures}, maxDelay: cfg.LoginMaxDelay}
	if g.free[0] <= 0 {
		g.free[0] = DefaultLoginAccountFailures
	}
	if g.free[1] <= 0 {
		g.free[1] = DefaultLoginAddrFailures
	}
	if g.maxDelay <= 0 {
		g.maxDelay = DefaultLoginMaxDelay
	}
	for i := range g.keys {
		c, err := lru.New[string, *loginFailures](loginMaxKeys)
		if err != nil {
			panic(err) // only for a non-positive size
		}
		g.keys[i] = c
	}
	return g
}

func loginKeys(email, addr string) [2]string {
	return [2]string{strings.ToLower(strings.TrimSpace(email)), addr}
}

// check refuses an attempt while the account or the address must still wait
// before its next attempt. Errors: RATE_LIMITED.
func (g *loginGuard) check(email, addr string, now time.Time) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	var wait time.Duration
	for i, k := range loginKeys(email, addr) {
		if f, ok := g.keys[i].Get(k); ok && f.until.After(now) {
			wait = max(wait, f.until.Sub(now))
		}
	}
	if wait == 0 {
		return nil
	}
	return &market.Error{Code: market.CodeRateLimited,
		Message: "too many failed sign-ins for this account or from this address: retry in " + wait.Round(time.Second).String(),
		Details: map[string]any{"retryAfterSeconds": int(math.Ceil(wait.Seconds()))}}
}

// failed counts a failed attempt.
func (g *loginGuard) failed(email, addr string, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i, k := range loginKeys(email, addr) {
		f, ok := g.keys[i].Get(k)
		if !ok || now.Sub(f.last) > loginForget {
			f = &loginFailures{}
			g.keys[i].Add(k, f)
		}
		f.n++
		f.last = now
		if over := f.n - g.free[i]; over > 0 {
			d := g.maxDelay
			if over <= 30 {
				d = min(loginFirstDelay<<(over-1), g.maxDelay)
			}
			f.until = now.Add(d)
		}
	}
}

// succeeded clears the account's failures.
func (g *loginGuard) succeeded(email string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.keys[0].Remove(loginKeys(email, "")[0])
}
