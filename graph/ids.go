package graph

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/hiregraph/hiregraph/internal/market"
)

// Global id type names.
const (
	kindUser         = "User"
	kindAgency       = "Agency"
	kindJob          = "Job"
	kindQuestion     = "ScreeningQuestion"
	kindInvitation   = "Invitation"
	kindProposal     = "Proposal"
	kindReason       = "Reason"
	kindLedger       = "ConnectsLedgerEntry"
	kindRoom         = "Room"
	kindMessage      = "Message"
	kindOffer        = "Offer"
	kindContract     = "Contract"
	kindBonus        = "Bonus"
	kindTimeEntry    = "TimeEntry"
	kindNotification = "Notification"
	// kindViewer is the viewer's own id, distinct from its User id.
	kindViewer = "Viewer"
)

// globalID encodes an opaque global id ("Invitation:12", base64url).
func globalID(kind string, id int64) string { return market.GlobalID(kind, id) }

// parseGlobalID decodes any global id into its kind and number.
func parseGlobalID(s string) (string, int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", 0, false
	}
	kind, num, ok := strings.Cut(string(b), ":")
	id, err := strconv.ParseInt(num, 10, 64)
	if !ok || err != nil || id <= 0 {
		return "", 0, false
	}
	return kind, id, true
}

// decodeID decodes a global id of an expected kind given in input field
// field. Errors: VALIDATION_FAILED.
func decodeID(field, kind, s string) (int64, error) {
	k, id, ok := parseGlobalID(s)
	if !ok || k != kind {
		return 0, market.Invalid(field, "not a valid %s id", kind)
	}
	return id, nil
}

// decodeOptionalID is decodeID for optional inputs.
func decodeOptionalID(field, kind string, s *string) (*int64, error) {
	if s == nil {
		return nil, nil
	}
	id, err := decodeID(field, kind, *s)
	if err != nil {
		return nil, err
	}
	return &id, nil
}
