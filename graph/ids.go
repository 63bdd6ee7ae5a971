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
func globalID(kind string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + strconv.FormatInt(id, 10)))
}

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

// Cursors are opaque too: they encode the id of the edge's node.

func cursorOf(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("cursor:" + strconv.FormatInt(id, 10)))
}

// The notifications and invitations lists share their cursors with their
// streams (notificationReceived, invitationReceived): "cursor:<id>:<pos>",
// where id pages the list and pos is the item's point in the stream (a seq
// of the viewer's notification sequence). So a list's newest edge cursor is
// a valid `after` to subscribe from, and an event's cursor a valid `after`
// to page the list from.
func streamCursor(id, pos int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("cursor:" + strconv.FormatInt(id, 10) + ":" + strconv.FormatInt(pos, 10)))
}

// parseCursor decodes "cursor:<id>" or "cursor:<id>:<pos>" (pos -1 when
// absent).
func parseCursor(s string) (id, pos int64, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	rest, found := strings.CutPrefix(string(b), "cursor:")
	if err != nil || !found {
		return 0, 0, false
	}
	idPart, posPart, hasPos := strings.Cut(rest, ":")
	pos = -1
	if id, err = strconv.ParseInt(idPart, 10, 64); err != nil || id <= 0 {
		return 0, 0, false
	}
	if hasPos {
		if pos, err = strconv.ParseInt(posPart, 10, 64); err != nil || pos < 0 {
			return 0, 0, false
		}
	}
	return id, pos, true
}

// decodeStreamAfter decodes a subscription's `after`: nil (start live) when
// absent, else the stream position of a list edge or event cursor.
// Errors: VALIDATION_FAILED.
func decodeStreamAfter(field string, s *string) (*int64, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	_, pos, ok := parseCursor(*s)
	if !ok || pos < 0 {
		// Event cursors of earlier releases ("seq:<pos>"), which clients
		// may still hold to reconnect with.
		legacy, err := decodeSeqCursor(field, s)
		if err != nil {
			return nil, market.Invalid(field, "not a valid cursor: pass an edge cursor of the list or the cursor of an event")
		}
		pos = legacy
	}
	return &pos, nil
}

// pageRequest validates first/after. Errors: VALIDATION_FAILED.
func pageRequest(first *int, after *string) (market.PageRequest, error) {
	var afterID int64
	if after != nil && *after != "" {
		id, _, ok := parseCursor(*after)
		if !ok {
			return market.PageRequest{}, market.Invalid("after", "not a valid cursor")
		}
		afterID = id
	}
	return market.NewPageRequest(first, afterID)
}
