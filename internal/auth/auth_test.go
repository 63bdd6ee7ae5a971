package auth

import (
	"context"
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
	s, exp, err := tok.Issue(42, 0)
	if err != nil || !exp.Equal(now.Add(time.Hour)) {
		t.Fatal(err, exp)
	}
	if id, err := tok.Verify(s); err != nil || id != 42 {
		t.Fatalf("Verify = %d, %v", id, err)
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

func TestAuthenticate(t *testing.T) {
	tok, _ := NewTokens("0123456789abcdef-secret", time.Hour)
	s, _, _ := tok.Issue(7, 0)
	for _, tc := range []struct {
		header string
		want   int64
	}{
		{"", 0}, {"Bearer " + s, 7}, {"bearer " + s, 7}, {"Basic Zm9v", 0}, {"Bearer", 0}, {"Bearer nope", 0},
	} {
		id, err := ViewerID(tok.Authenticate(context.Background(), tc.header, nil))
		if id != tc.want || (tc.want == 0) != market.IsCode(err, market.CodeUnauthenticated) {
			t.Errorf("%q: got %d, %v", tc.header, id, err)
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
