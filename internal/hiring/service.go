// Package hiring holds the use cases: one method per operation. Each one
// authorizes the viewer, opens one transaction, lets package market decide,
// persists through package postgres and emits events inside the transaction.
package hiring

import (
	"context"
	"time"

	"github.com/hiregraph/hiregraph/internal/contactinfo"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
	"github.com/hiregraph/hiregraph/internal/realtime"
)

// Config holds the platform settings the use cases read.
type Config struct {
	// ChargeConnectsForInvitations makes accepting an invitation cost the
	// job's Connects (R20; on by default).
	ChargeConnectsForInvitations bool
	// AutoInvites is how many AUTOMATIC invitations featuring a job sends
	// (R22); 0 means market.DefaultAutoInvites.
	AutoInvites int
	// SignupConnects is the free Connects grant a new freelancer starts with
	// (R26; 0: none).
	SignupConnects int
	// ConnectsPackages are the packages sold by buyConnects (R28); empty:
	// market.DefaultConnectsPackages.
	ConnectsPackages []market.ConnectsPackage
	// Sign-in limits (logins.go); 0 means the default.
	LoginAccountFailures int
	LoginAddrFailures    int
	LoginMaxDelay        time.Duration
}

// Service runs the use cases.
type Service struct {
	store  *postgres.Store
	cfg    Config
	now    func() time.Time
	broker *realtime.Broker
	logins *loginGuard
}

// UseBroker gives the service the process's event broker, which the
// subscriptions need.
func (s *Service) UseBroker(b *realtime.Broker) { s.broker = b }

// New returns a Service. now is the clock (time.Now in production; tests
// inject their own to check time rules without sleeping).
func New(store *postgres.Store, cfg Config, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, cfg: cfg, now: now, logins: newLoginGuard(cfg)}
}

// Now returns the service clock's time, in UTC and at the database's
// microsecond precision so that what is returned equals what is stored.
func (s *Service) Now() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Ping checks that the database answers. Errors: market.ErrUnavailable.
func (s *Service) Ping(ctx context.Context) error { return s.store.Ping(ctx) }

// Store exposes the store to batch loaders.
func (s *Service) Store() *postgres.Store { return s.store }

// CheckShownText enforces R17 on a text one party shows the other; the
// GraphQL layer runs it on every String input of every mutation (see
// graph.ShownTextGate), and the use cases on the texts they take.
// Errors: CONTACT_INFO_NOT_ALLOWED.
func CheckShownText(field, text string) error { return noContactInfo(field, text) }

// CheckShownLink enforces R17 on a link to a file one party shows the other
// (an attachment): see contactinfo.FindInLink. Errors: CONTACT_INFO_NOT_ALLOWED.
func CheckShownLink(field, link string) error {
	return contactInfoError(field, contactinfo.FindInLink(link))
}

// noContactInfo enforces R17 on a free-text input. Errors: CONTACT_INFO_NOT_ALLOWED.
func noContactInfo(field, text string) error {
	return contactInfoError(field, contactinfo.Find(text))
}

func contactInfoError(field string, found []contactinfo.Finding) error {
	if len(found) == 0 {
		return nil
	}
	kinds := make([]string, 0, len(found))
	texts := make([]string, 0, len(found))
	for _, f := range found {
		kinds = append(kinds, string(f.Kind))
		texts = append(texts, f.Text)
	}
	return &market.Error{
		Code:    market.CodeContactInfo,
		Message: "contact information is not allowed before a contract starts: found " + contactinfo.Describe(found),
		Field:   field,
		Details: map[string]any{"found": texts, "kinds": kinds},
	}
}

// roleIn returns the user's role in an agency ("" when agencyID is nil or the
// user is not a member).
func roleIn(ctx context.Context, c *postgres.Conn, agencyID *int64, userID int64) (market.AgencyRole, error) {
	if agencyID == nil {
		return "", nil
	}
	return c.AgencyRole(ctx, *agencyID, userID)
}
