package hiring

import (
	"context"

	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// Connect opens the use cases over the database at dsn, for the tools that
// run beside the server (the load generator), with at most maxConns
// connections (0: the default pool); close releases the database.
func Connect(ctx context.Context, dsn string, maxConns int) (s *Service, close func(), err error) {
	db, err := postgres.Open(ctx, dsn, postgres.Pool{MaxConns: maxConns})
	if err != nil {
		return nil, nil, err
	}
	return New(postgres.New(db), Config{}, nil), func() { db.Close() }, nil
}

// Notify writes a notification to a user with its event, in one
// transaction, as every use case that notifies does: the platform's own
// messages to a user's bell (the load generator's events).
func (s *Service) Notify(ctx context.Context, n market.NewNotification) (*market.Notification, error) {
	var out *market.Notification
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		var err error
		out, err = c.AddNotification(ctx, n, s.Now())
		return err
	})
	return out, err
}
