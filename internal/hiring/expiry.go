package hiring

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// ExpireIdleJobs closes as EXPIRED every open job without client activity
// for idle (R2), with the consequences of closing (pending invitations
// expire, open proposals are archived, pending offers expire) but no refund
// (R21). Each job closes in its own transaction, with its row locked and its
// idleness checked again under the lock, so that a client acting on the job
// meanwhile wins. It returns how many jobs it closed; an error on one job
// does not stop the others (the errors are joined).
func (s *Service) ExpireIdleJobs(ctx context.Context, idle time.Duration) (int, error) {
	if idle <= 0 {
		return 0, fmt.Errorf("expire idle jobs: the idle period must be positive, got %s", idle)
	}
	ids, err := s.store.Read().IdleJobIDs(ctx, s.Now().Add(-idle))
	if err != nil {
		return 0, err
	}
	closed := 0
	var errs []error
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return closed, errors.Join(append(errs, err)...)
		}
		expired := false
		err := s.store.Transact(ctx, func(c *postgres.Conn) error {
			expired = false
			now := s.Now()
			job, err := c.Job(ctx, id, true)
			if err != nil {
				return err
			}
			if !job.IsIdle(now, idle) {
				return nil // the client acted meanwhile, or closed it
			}
			if _, err := closeJobLocked(ctx, c, job, market.JobExpired, now); err != nil {
				return err
			}
			expired = true
			return nil
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("expire job %d: %w", id, err))
			continue
		}
		if expired {
			closed++
		}
	}
	return closed, errors.Join(errs...)
}

// RunExpirySweep runs ExpireIdleJobs now and then every period until ctx is
// done, logging what it closed and any failure (R2).
func (s *Service) RunExpirySweep(ctx context.Context, every, idle time.Duration, log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	if every <= 0 {
		every = time.Hour
	}
	if idle <= 0 {
		idle = market.DefaultJobIdlePeriod
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := s.ExpireIdleJobs(ctx, idle)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("job expiry sweep failed", "err", err, "expired", n)
		case n > 0:
			log.Info("expired idle jobs", "count", n, "idle", idle.String())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
