// Package auth holds identity: password hashes, bearer tokens, the viewer in
// a request's context, and the HTTP middleware that puts it there.
package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"
	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/crypto/bcrypt"

	"github.com/hiregraph/hiregraph/internal/market"
)

// HashPassword returns a bcrypt hash of password.
func HashPassword(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	return string(h), err
}

// CheckPassword reports whether password matches hash.
func CheckPassword(hash, password string) bool {
	passwordChecks.Add(1)
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}

// passwordChecks counts the bcrypt comparisons made (see PasswordChecks).
var passwordChecks atomic.Int64

// PasswordChecks returns how many password hashes have been checked by
// this process: what tests count to show that every sign-in attempt,
// whether its email exists or not, does the same hashing work.
func PasswordChecks() int64 { return passwordChecks.Load() }

// NoAccountHash is a bcrypt hash (at bcrypt.DefaultCost, like every stored
// hash) of a password nobody has. A sign-in for an unknown email is checked
// against it, so that it costs the same as a wrong password.
const NoAccountHash = "$2a$10$3hQQ1IgElaikAGtxEHp0EOUcaj6rAXyRPNNZCWOH/13zEB7qbI4Yy"

type clientAddrKey struct{}

// WithClientAddr returns a context carrying the client's network address
// (the IP the request came from), which sign-in limits count by.
func WithClientAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientAddrKey{}, addr)
}

// ClientAddr returns the client's address ("" when unknown).
func ClientAddr(ctx context.Context) string {
	a, _ := ctx.Value(clientAddrKey{}).(string)
	return a
}

// Tokens issues and verifies bearer tokens (HMAC-signed JWTs).
//
// A token names its user, its own id (so that one token can be revoked:
// logout) and the user's token generation when it was issued (so that all of
// a user's tokens are revoked at once by moving the generation on: "sign out
// everywhere", a password change). Whether a token still stands is asked of
// a Checker once per request (one indexed lookup), not decided by the
// signature alone.
type Tokens struct {
	secret []byte
	ttl    time.Duration
	now    func() time.Time
	// verified remembers the claims of tokens whose signature checked out,
	// by the token's text, until they expire: a client sends the same
	// token with every request, and parsing and checking it again cost
	// ~3 % of a request's CPU. Only a token this issuer signed gets in;
	// revocation is still asked of the Checker on every request.
	verified *lru.Cache[string, Claims]
}

// verifiedTokens is how many verified tokens Tokens remembers.
const verifiedTokens = 4096

// NewTokens returns a token issuer. secret must be at least 16 bytes.
func NewTokens(secret string, ttl time.Duration) (*Tokens, error) {
	if len(secret) < 16 {
		return nil, errors.New("token secret must be at least 16 characters")
	}
	verified, _ := lru.New[string, Claims](verifiedTokens) // fails only for a size under 1
	return &Tokens{secret: []byte(secret), ttl: ttl, now: time.Now, verified: verified}, nil
}

// UseClock replaces the clock that issues and checks tokens (tests).
func (t *Tokens) UseClock(now func() time.Time) { t.now = now }

const issuer = "hiregraph"

// Claims are what a verified token says.
type Claims struct {
	UserID int64
	// ID identifies this token among all others (JWT "jti").
	ID string
	// Generation is the user's token generation at issue time; a token of
	// an older generation than the user's is revoked.
	Generation int64
	IssuedAt   time.Time
	ExpiresAt  time.Time
}

type jwtClaims struct {
	jwt.RegisteredClaims
	Generation int64 `json:"gen"`
}

// Issue returns a token for the user at the user's current token
// generation (market.User.TokenGeneration).
func (t *Tokens) Issue(userID, generation int64) (string, time.Time, error) {
	now := t.now()
	exp := now.Add(t.ttl)
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", time.Time{}, err
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwtClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    issuer,
			Subject:   strconv.FormatInt(userID, 10),
			ID:        base64.RawURLEncoding.EncodeToString(id[:]),
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
		},
		Generation: generation,
	})
	s, err := tok.SignedString(t.secret)
	return s, exp, err
}

// Verify checks a token's signature and times and returns what it says.
// It does not know about revocation: see Checker. A token issued in the
// future (beyond a minute of clock skew) is refused. Errors: UNAUTHENTICATED.
func (t *Tokens) Verify(token string) (Claims, error) {
	if c, ok := t.verified.Get(token); ok {
		if t.now().Before(c.ExpiresAt) { // as the jwt library checks exp
			return c, nil
		}
		t.verified.Remove(token)
		return Claims{}, ErrTokenExpired
	}
	c, err := t.verify(token)
	if err == nil {
		t.verified.Add(token, c)
	}
	return c, err
}

func (t *Tokens) verify(token string) (Claims, error) {
	var claims jwtClaims
	_, err := jwt.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return t.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), jwt.WithIssuer(issuer),
		jwt.WithExpirationRequired(), jwt.WithTimeFunc(t.now))
	if err != nil {
		if errors.Is(err, jwt.ErrTokenExpired) {
			return Claims{}, ErrTokenExpired
		}
		return Claims{}, market.Errorf(market.CodeUnauthenticated, "the token is not valid")
	}
	id, err := strconv.ParseInt(claims.Subject, 10, 64)
	if err != nil || id <= 0 || claims.ID == "" || claims.IssuedAt == nil || claims.Generation < 0 {
		return Claims{}, market.Errorf(market.CodeUnauthenticated, "the token is not valid")
	}
	if claims.IssuedAt.After(t.now().Add(clockSkew)) {
		return Claims{}, market.Errorf(market.CodeUnauthenticated, "the token is not valid: it was issued in the future")
	}
	return Claims{UserID: id, ID: claims.ID, Generation: claims.Generation,
		IssuedAt: claims.IssuedAt.Time, ExpiresAt: claims.ExpiresAt.Time}, nil
}

// ErrTokenExpired is the error of an expired token (UNAUTHENTICATED); a
// websocket subscription ends with it when its token expires.
var ErrTokenExpired = market.Errorf(market.CodeUnauthenticated, "the token has expired: sign in again")

// clockSkew is how far a token's issue time may lie ahead of this server's
// clock (another instance's clock may run slightly ahead).
const clockSkew = time.Minute

// Checker says whether a verified token still stands: its user exists and
// neither the token nor its generation has been revoked. Errors:
// UNAUTHENTICATED (or UNAVAILABLE when it cannot tell).
type Checker interface {
	CheckToken(ctx context.Context, c Claims) error
}

// FromHeader extracts the token of an "Authorization: Bearer <token>" value.
// Errors: UNAUTHENTICATED for a value of another form.
func FromHeader(v string) (string, error) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return "", market.Errorf(market.CodeUnauthenticated, `the Authorization header must be "Bearer <token>"`)
	}
	return strings.TrimSpace(tok), nil
}

type viewerKey struct{}

type viewer struct {
	id     int64
	claims *Claims
	err    error
}

// WithViewer returns a context carrying the signed-in user's id.
func WithViewer(ctx context.Context, userID int64) context.Context {
	return context.WithValue(ctx, viewerKey{}, viewer{id: userID})
}

// withClaims returns a context carrying the signed-in user of a verified
// and checked token.
func withClaims(ctx context.Context, c Claims) context.Context {
	return context.WithValue(ctx, viewerKey{}, viewer{id: c.UserID, claims: &c})
}

// TokenClaims returns the claims of the token the request was
// authenticated with (ok false without one).
func TokenClaims(ctx context.Context) (Claims, bool) {
	v, _ := ctx.Value(viewerKey{}).(viewer)
	if v.claims == nil {
		return Claims{}, false
	}
	return *v.claims, true
}

// Expiry returns when the token that signed the viewer in expires (zero
// when the viewer did not come from a token).
func Expiry(ctx context.Context) time.Time {
	c, _ := TokenClaims(ctx)
	return c.ExpiresAt
}

// withError records a credential that was presented but is not valid, so
// that the error says why rather than "sign in".
func withError(ctx context.Context, err error) context.Context {
	return context.WithValue(ctx, viewerKey{}, viewer{err: err})
}

// ViewerID returns the signed-in user's id. Errors: UNAUTHENTICATED.
func ViewerID(ctx context.Context) (int64, error) {
	v, _ := ctx.Value(viewerKey{}).(viewer)
	if v.err != nil {
		return 0, v.err
	}
	if v.id == 0 {
		return 0, market.Errorf(market.CodeUnauthenticated, "sign in first: send Authorization: Bearer <token>")
	}
	return v.id, nil
}

// Authenticate returns the context for a request's Authorization value
// (empty: anonymous). A token that verifies is then asked of check (once:
// the result holds for the request).
func (t *Tokens) Authenticate(ctx context.Context, header string, check Checker) context.Context {
	if header == "" {
		return ctx
	}
	tok, err := FromHeader(header)
	if err == nil {
		var c Claims
		if c, err = t.Verify(tok); err == nil {
			if err = check.CheckToken(ctx, c); err == nil {
				return withClaims(ctx, c)
			}
		}
	}
	return withError(ctx, err)
}

// Middleware puts the viewer of each request's bearer token in its context.
// It never rejects a request itself: operations that need a viewer say so
// with UNAUTHENTICATED, and public ones (login) still work.
func (t *Tokens) Middleware(check Checker, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
			ctx = WithClientAddr(ctx, host)
		}
		next.ServeHTTP(w, r.WithContext(t.Authenticate(ctx, r.Header.Get("Authorization"), check)))
	})
}

// String describes the issuer for logs without revealing the secret.
func (t *Tokens) String() string { return fmt.Sprintf("tokens(ttl=%s)", t.ttl) }
