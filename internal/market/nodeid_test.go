package market

import (
	"encoding/base64"
	"strconv"
	"testing"
)

func TestGlobalID(t *testing.T) {
	for _, tc := range []struct {
		kind string
		id   int64
	}{{"Invitation", 12}, {"ConnectsLedgerEntry", 1<<63 - 1}, {"User", 1}} {
		got := GlobalID(tc.kind, tc.id)
		b, err := base64.RawURLEncoding.DecodeString(got)
		if err != nil || string(b) != tc.kind+":"+strconv.FormatInt(tc.id, 10) {
			t.Errorf("GlobalID(%q, %d) = %q (%q, %v)", tc.kind, tc.id, got, b, err)
		}
	}
	if got := (&Invitation{ID: 12}).NodeID(); got != "SW52aXRhdGlvbjoxMg" {
		t.Errorf("Invitation 12: %q", got)
	}
}
