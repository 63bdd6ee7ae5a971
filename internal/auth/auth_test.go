package auth

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/market"
)

func TestTokens(t *testing.T) {
	tok, err := NewTokens("0123456789abcdef-secret", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	tok.now = func() time.Time { return now }
	s, exp, err := tok.Issue(42, 3)
	if err != nil || !exp.Equal(now.Add(time.Hour)) {
		t.Fatal(err, exp)
	}
	c, err := tok.Verify(s)
	if err != nil || c.UserID != 42 || c.Generation != 3 || c.ID == "" || !c.IssuedAt.Equal(now) || !c.ExpiresAt.Equal(exp) {
		t.Fatalf("Verify = %+v, %v", c, err)
	}
	s2, _, _ := tok.Issue(42, 3)
	if c2, _ := tok.Verify(s2); c2.ID == c.ID {
		t.Error("two tokens share an id")
	}
	other, _ := NewTokens("another-secret-0123456789", time.Hour)
	if _, err := other.Verify(s); !market.IsCode(err, market.CodeUnauthenticated) {
		t.Errorf("a token signed with another secret: %v", err)
	}
	if _, err := tok.Verify(s + "x"); !market.IsCode(err, market.CodeUnauthenticated) {
		t.Errorf("a tampered token: %v", err)
	}
	now = now.Add(2 * time.Hour)
	if _, err := tok.Verify(s); !market.IsCode(err, market.CodeUnauthenticated) {
		t.Errorf("an expired token: %v", err)
	}
	if _, err := NewTokens("short", time.Hour); err == nil {
		t.Error("a short secret must be refused")
	}
}

// TestVerifiedTokens: a token verified once is remembered, and a
// remembered token answers as a first verification would: valid until the
// second it expires, then ErrTokenExpired (and forgotten); a tampered copy
// is not the remembered token.
func TestVerifiedTokens(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	tok, _ := NewTokens("0123456789abcdef-secret", time.Hour)
	tok.now = clock
	s, exp, _ := tok.Issue(42, 3)
	first, err := tok.Verify(s)
	if err != nil || tok.verified.Len() != 1 {
		t.Fatalf("first Verify: %v, %d remembered", err, tok.verified.Len())
	}
	for _, at := range []time.Time{now.Add(time.Minute), exp.Add(-time.Second), exp, exp.Add(time.Hour)} {
		now = at
		fresh, _ := NewTokens("0123456789abcdef-secret", time.Hour)
		fresh.now = clock
		want, wantErr := fresh.Verify(s)
		got, err := tok.Verify(s)
		if got != want || !errors.Is(err, wantErr) && err != wantErr {
			t.Errorf("at %s: remembered %+v, %v; first verification %+v, %v", at.Sub(exp), got, err, want, wantErr)
		}
		if err == nil && got != first {
			t.Errorf("at %s: claims %+v, want %+v", at.Sub(exp), got, first)
		}
	}
	if !errors.Is(func() error { _, err := tok.Verify(s); return err }(), ErrTokenExpired) || tok.verified.Len() != 0 {
		t.Errorf("an expired token must be forgotten (%d remembered)", tok.verified.Len())
	}
	now = exp.Add(-time.Hour)
	if _, err := tok.Verify(s + "x"); !market.IsCode(err, market.CodeUnauthenticated) || tok.verified.Len() != 0 {
		t.Errorf("a tampered token: %v (%d remembered)", err, tok.verified.Len())
	}
}

// TestTokenFromTheFuture: a token whose issue time lies ahead of the clock
// (beyond the allowed skew) is refused, even though it has not expired.
func TestTokenFromTheFuture(t *testing.T) {
	tok, _ := NewTokens("0123456789abcdef-secret", 48*time.Hour)
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	tok.now = func() time.Time { return now.Add(24 * time.Hour) }
	s, _, _ := tok.Issue(42, 0)
	tok.now = func() time.Time { return now }
	if _, err := tok.Verify(s); !market.IsCode(err, market.CodeUnauthenticated) {
		t.Fatalf("a token issued tomorrow: %v", err)
	}
	tok.now = func() time.Time { return now.Add(24*time.Hour - 30*time.Second) }
	if _, err := tok.Verify(s); err != nil {
		t.Fatalf("30 s of clock skew must be tolerated: %v", err)
	}
}

type checkFunc func(context.Context, Claims) error

func (f checkFunc) CheckToken(ctx context.Context, c Claims) error { return f(ctx, c) }

func TestAuthenticate(t *testing.T) {
	tok, _ := NewTokens("0123456789abcdef-secret", time.Hour)
	s, _, _ := tok.Issue(7, 0)
	r, _, _ := tok.Issue(8, 0)
	check := checkFunc(func(_ context.Context, c Claims) error {
		if c.UserID == 8 {
			return market.Errorf(market.CodeUnauthenticated, "revoked")
		}
		return nil
	})
	for _, tc := range []struct {
		header string
		want   int64
	}{
		{"", 0}, {"Bearer " + s, 7}, {"bearer " + s, 7}, {"Basic Zm9v", 0}, {"Bearer", 0}, {"Bearer nope", 0}, {"Bearer " + r, 0},
	} {
		ctx := tok.Authenticate(context.Background(), tc.header, check)
		id, err := ViewerID(ctx)
		if id != tc.want || (tc.want == 0) != market.IsCode(err, market.CodeUnauthenticated) {
			t.Errorf("%q: got %d, %v", tc.header, id, err)
		}
		if c, ok := TokenClaims(ctx); ok != (tc.want != 0) || c.UserID != tc.want {
			t.Errorf("%q: claims %+v %v", tc.header, c, ok)
		}
	}
}

func TestPasswords(t *testing.T) {
	h, err := HashPassword("hiregraph-demo")
	if err != nil {
		t.Fatal(err)
	}
	if !CheckPassword(h, "hiregraph-demo") || CheckPassword(h, "wrong") {
		t.Error("CheckPassword")
	}
}
