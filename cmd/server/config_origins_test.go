package main

import (
	"slices"
	"testing"
)

// ALLOWED_ORIGINS: loopback origins by default in development, none in
// production, exactly what is configured otherwise, and a clear error for
// an entry that is not an origin.
func TestAllowedOriginsDefaults(t *testing.T) {
	for _, tc := range []struct {
		env, origins string
		want         []string
	}{
		{"development", "", []string{"http://localhost:*", "http://127.0.0.1:*"}},
		{"production", "", nil},
		{"production", "https://app.example.com, https://admin.example.com", []string{"https://app.example.com", "https://admin.example.com"}},
		{"development", "https://app.example.com", []string{"https://app.example.com"}},
	} {
		t.Setenv("ENV", tc.env)
		t.Setenv("TOKEN_SECRET", "0123456789abcdef0123")
		t.Setenv("ALLOWED_ORIGINS", tc.origins)
		c, _, err := loadConfig(nil)
		if err != nil {
			t.Fatalf("%+v: %v", tc, err)
		}
		if !slices.Equal(c.AllowedOrigins, tc.want) {
			t.Errorf("%+v: got %q", tc, c.AllowedOrigins)
		}
	}
	t.Setenv("ALLOWED_ORIGINS", "app.example.com")
	if _, _, err := loadConfig(nil); err == nil {
		t.Fatal("an origin without a scheme was accepted")
	}
}
