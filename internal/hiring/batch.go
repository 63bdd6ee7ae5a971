package hiring

import (
	"context"

	"github.com/hiregraph/hiregraph/internal/market"
)

// Batch loads, for per-request dataloaders. They do not authorize: they
// serve relations reached from an object the viewer was already allowed to
// see (an invitation's job, a proposal's answers), so the check made at the
// root covers them.

func byID[T any](items []T, id func(T) int64) map[int64]T {
	m := make(map[int64]T, len(items))
	for _, it := range items {
		m[id(it)] = it
	}
	return m
}

func groupBy[T any](items []T, key func(T) int64) map[int64][]T {
	m := make(map[int64][]T)
	for _, it := range items {
		m[key(it)] = append(m[key(it)], it)
	}
	return m
}

// UsersByID loads users.
func (s *Service) UsersByID(ctx context.Context, ids []int64) (map[int64]*market.User, error) {
	us, err := s.store.Read().UsersByID(ctx, ids)
	return byID(us, func(u *market.User) int64 { return u.ID }), err
}

// ProfilesByUserID loads freelancer profiles (users without one are absent).
func (s *Service) ProfilesByUserID(ctx context.Context, ids []int64) (map[int64]*market.FreelancerProfile, error) {
	ps, err := s.store.Read().ProfilesByUserID(ctx, ids)
	return byID(ps, func(p *market.FreelancerProfile) int64 { return p.UserID }), err
}

// JobsByID loads jobs.
func (s *Service) JobsByID(ctx context.Context, ids []int64) (map[int64]*market.Job, error) {
	js, err := s.store.Read().JobsByID(ctx, ids)
	return byID(js, func(j *market.Job) int64 { return j.ID }), err
}

// QuestionsByJobID loads the screening questions of jobs.
func (s *Service) QuestionsByJobID(ctx context.Context, ids []int64) (map[int64][]*market.Question, error) {
	qs, err := s.store.Read().QuestionsOfJobs(ctx, ids)
	return groupBy(qs, func(q *market.Question) int64 { return q.JobID }), err
}

// QuestionsByID loads screening questions by their own id.
func (s *Service) QuestionsByID(ctx context.Context, ids []int64) (map[int64]*market.Question, error) {
	qs, err := s.store.Read().QuestionsByID(ctx, ids)
	return byID(qs, func(q *market.Question) int64 { return q.ID }), err
}

// AgenciesByID loads agencies.
func (s *Service) AgenciesByID(ctx context.Context, ids []int64) (map[int64]*market.Agency, error) {
	as, err := s.store.Read().AgenciesByID(ctx, ids)
	return byID(as, func(a *market.Agency) int64 { return a.ID }), err
}

// InvitationsByID loads invitations.
func (s *Service) InvitationsByID(ctx context.Context, ids []int64) (map[int64]*market.Invitation, error) {
	is, err := s.store.Read().InvitationsByID(ctx, ids)
	return byID(is, func(i *market.Invitation) int64 { return i.ID }), err
}

// ProposalsByID loads proposals.
func (s *Service) ProposalsByID(ctx context.Context, ids []int64) (map[int64]*market.Proposal, error) {
	ps, err := s.store.Read().ProposalsByID(ctx, ids)
	return byID(ps, func(p *market.Proposal) int64 { return p.ID }), err
}

// AnswersByProposalID loads the answers of proposals.
func (s *Service) AnswersByProposalID(ctx context.Context, ids []int64) (map[int64][]*market.Answer, error) {
	as, err := s.store.Read().AnswersOfProposals(ctx, ids)
	return groupBy(as, func(a *market.Answer) int64 { return a.ProposalID }), err
}

// AttachmentsByProposalID loads the attachments of proposals.
func (s *Service) AttachmentsByProposalID(ctx context.Context, ids []int64) (map[int64][]*market.Attachment, error) {
	as, err := s.store.Read().AttachmentsOfProposals(ctx, ids)
	return groupBy(as, func(a *market.Attachment) int64 { return a.ProposalID }), err
}

// ReasonsByID loads reasons.
func (s *Service) ReasonsByID(ctx context.Context, ids []int64) (map[int64]*market.Reason, error) {
	rs, err := s.store.Read().ReasonsByID(ctx, ids)
	return byID(rs, func(r *market.Reason) int64 { return r.ID }), err
}

// RoomsByID loads rooms.
func (s *Service) RoomsByID(ctx context.Context, ids []int64) (map[int64]*market.Room, error) {
	rs, err := s.store.Read().RoomsByID(ctx, ids)
	return byID(rs, func(r *market.Room) int64 { return r.ID }), err
}

// OffersByID loads offers.
func (s *Service) OffersByID(ctx context.Context, ids []int64) (map[int64]*market.Offer, error) {
	os, err := s.store.Read().OffersByID(ctx, ids)
	return byID(os, func(o *market.Offer) int64 { return o.ID }), err
}

// ContractsByID loads contracts.
func (s *Service) ContractsByID(ctx context.Context, ids []int64) (map[int64]*market.Contract, error) {
	cs, err := s.store.Read().ContractsByID(ctx, ids)
	return byID(cs, func(c *market.Contract) int64 { return c.ID }), err
}
