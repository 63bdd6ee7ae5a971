package hiring

import (
	"context"

	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// PostJob posts a job for the viewer as its client (R1). Texts are checked
// for contact information (R17). Errors: VALIDATION_FAILED, CONTACT_INFO_NOT_ALLOWED.
func (s *Service) PostJob(ctx context.Context, viewerID int64, in market.NewJob) (*market.Job, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := noContactInfo("input.title", in.Title); err != nil {
		return nil, err
	}
	if err := noContactInfo("input.description", in.Description); err != nil {
		return nil, err
	}
	for _, q := range in.Questions {
		if err := noContactInfo("input.questions", q); err != nil {
			return nil, err
		}
	}
	var job *market.Job
	err := s.store.Transact(ctx, func(c *postgres.Conn) (err error) {
		job, err = c.CreateJob(ctx, viewerID, &in, s.Now())
		return err
	})
	return job, err
}

// Job returns a job. Job posts are public to every signed-in user.
// Errors: NOT_FOUND.
func (s *Service) Job(ctx context.Context, id int64) (*market.Job, error) {
	return s.store.Read().Job(ctx, id, false)
}

// Reasons lists the active reasons of a kind (R7: data, not an enum).
func (s *Service) Reasons(ctx context.Context, kind market.ReasonKind) ([]*market.Reason, error) {
	return s.store.Read().Reasons(ctx, kind)
}
