// Package auth holds identity: password hashes, bearer tokens, the viewer in
// a request's context, and the HTTP middleware that puts it there.
package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
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
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}

// Tokens issues and verifies bearer tokens (HMAC-signed JWTs).
type Tokens struct {
	secret []byte
	ttl    time.Duration
	now    func() time.Time
}

// NewTokens returns a token issuer. secret must be at least 16 bytes.
func NewTokens(secret string, ttl time.Duration) (*Tokens, error) {
	if len(secret) < 16 {
		return nil, errors.New("token secret must be at least 16 characters")
	}
	return &Tokens{secret: []byte(secret), ttl: ttl, now: time.Now}, nil
}

const issuer = "hiregraph"

// tokenClaims are a token's JWT claims: the registered ones and the user's
// token generation at issue time (moving the generation on revokes every
// older token of the user, e.g. when the password changes).
type tokenClaims struct {
	jwt.RegisteredClaims
	Generation int64 `json:"gen,omitempty"`
}

// Claims is what a verified token says.
type Claims struct {
	UserID     int64
	Generation int64
	ExpiresAt  time.Time
}

// Checker says whether a verified token still stands (its generation is
// the user's current one). Errors: UNAUTHENTICATED.
type Checker interface {
	CheckToken(ctx context.Context, c Claims) error
}

// Issue returns a token for the user, of the user's current token
// generation (market.User.TokenGeneration).
func (t *Tokens) Issue(userID, generation int64) (string, time.Time, error) {
	now := t.now()
	exp := now.Add(t.ttl)
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, tokenClaims{RegisteredClaims: jwt.RegisteredClaims{
		Issuer:    issuer,
		Subject:   strconv.FormatInt(userID, 10),
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(exp),
	}, Generation: generation})
	s, err := tok.SignedString(t.secret)
	return s, exp, err
}

// Verify checks a token and returns its user id. Errors: UNAUTHENTICATED.
func (t *Tokens) Verify(token string) (int64, error) {
	c, err := t.VerifyClaims(token)
	return c.UserID, err
}

// VerifyClaims checks a token and returns what it says. Errors: UNAUTHENTICATED.
func (t *Tokens) VerifyClaims(token string) (Claims, error) {
	var claims tokenClaims
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
	if err != nil || id <= 0 {
		return Claims{}, market.Errorf(market.CodeUnauthenticated, "the token is not valid")
	}
	return Claims{UserID: id, Generation: claims.Generation, ExpiresAt: claims.ExpiresAt.Time}, nil
}

// ErrTokenExpired is the error of an expired token (UNAUTHENTICATED); a
// websocket subscription ends with it when its token expires.
var ErrTokenExpired = market.Errorf(market.CodeUnauthenticated, "the token has expired: sign in again")

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
	id      int64
	expires time.Time // the token's expiry (zero: not from a token)
	err     error
}

// WithViewer returns a context carrying the signed-in user's id.
func WithViewer(ctx context.Context, userID int64) context.Context {
	return context.WithValue(ctx, viewerKey{}, viewer{id: userID})
}

// withError records a credential that was presented but is not valid, so
// that the error says why rather than "sign in".
func withError(ctx context.Context, err error) context.Context {
	return context.WithValue(ctx, viewerKey{}, viewer{err: err})
}

// Expiry returns when the token that signed the viewer in expires (zero
// when the viewer did not come from a token).
func Expiry(ctx context.Context) time.Time {
	v, _ := ctx.Value(viewerKey{}).(viewer)
	return v.expires
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
// (empty: anonymous); check (nil: none) says whether a verified token was
// revoked since.
func (t *Tokens) Authenticate(ctx context.Context, header string, check Checker) context.Context {
	if header == "" {
		return ctx
	}
	tok, err := FromHeader(header)
	if err == nil {
		var c Claims
		if c, err = t.VerifyClaims(tok); err == nil {
			if check != nil {
				err = check.CheckToken(ctx, c)
			}
			if err == nil {
				return context.WithValue(ctx, viewerKey{}, viewer{id: c.UserID, expires: c.ExpiresAt})
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
		next.ServeHTTP(w, r.WithContext(t.Authenticate(r.Context(), r.Header.Get("Authorization"), check)))
	})
}

// String describes the issuer for logs without revealing the secret.
func (t *Tokens) String() string { return fmt.Sprintf("tokens(ttl=%s)", t.ttl) }
