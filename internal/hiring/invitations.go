package hiring

import (
	"context"
	"fmt"
	"time"

	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// InvitationFilter narrows the viewer's invitations.
type InvitationFilter struct {
	Status   *market.InvitationStatus
	Archived *bool
	Origin   *market.InvitationOrigin
}

// Invitations lists the viewer's invitations, newest first: those sent to
// them, and those sent through agencies where they are staff.
func (s *Service) Invitations(ctx context.Context, viewerID int64, f InvitationFilter, p market.PageRequest) (market.Page[*market.Invitation], error) {
	return invitations(ctx, s.store.Read(), viewerID, f, p)
}

func invitations(ctx context.Context, c *postgres.Conn, viewerID int64, f InvitationFilter, p market.PageRequest) (market.Page[*market.Invitation], error) {
	items, total, err := c.ListInvitations(ctx, postgres.InvitationFilter{
		FreelancerID: viewerID, Staff: true, Status: f.Status, Archived: f.Archived, Origin: f.Origin,
	}, p)
	if err != nil {
		return market.Page[*market.Invitation]{}, err
	}
	return market.Trim(items, p, total), nil
}

// Invitation returns an invitation the viewer may see. Errors: NOT_FOUND.
func (s *Service) Invitation(ctx context.Context, viewerID, id int64) (*market.Invitation, error) {
	c := s.store.Read()
	inv, err := c.Invitation(ctx, id, false)
	if err != nil {
		return nil, err
	}
	role, err := roleIn(ctx, c, inv.AgencyID, viewerID)
	if err != nil {
		return nil, err
	}
	if !inv.CanView(viewerID, role) {
		return nil, market.NotFound("invitation")
	}
	return inv, nil
}

// lockInvitation loads an invitation the viewer may see with its job: the
// job row is share-locked first (so the job cannot close meanwhile, and lock
// order is job then invitation everywhere), then the invitation row is
// locked for update, so that concurrent responses serialize (R8).
// Errors: NOT_FOUND.
func lockInvitation(ctx context.Context, c *postgres.Conn, viewerID, id int64) (*market.Invitation, *market.Job, market.AgencyRole, error) {
	peek, err := c.Invitation(ctx, id, false)
	if err != nil {
		return nil, nil, "", err
	}
	job, err := c.JobForShare(ctx, peek.JobID)
	if err != nil {
		return nil, nil, "", err
	}
	inv, err := c.Invitation(ctx, id, true)
	if err != nil {
		return nil, nil, "", err
	}
	role, err := roleIn(ctx, c, inv.AgencyID, viewerID)
	if err != nil {
		return nil, nil, "", err
	}
	if !inv.CanView(viewerID, role) {
		return nil, nil, "", market.NotFound("invitation")
	}
	return inv, job, role, nil
}

// AcceptInput is a freelancer's acceptance: the proposal submitted with it (R6).
type AcceptInput struct {
	InvitationID    int64
	CoverLetter     string
	Terms           *market.Terms // nil: the job's terms as offered
	Answers         []market.Answer
	Attachments     []market.Attachment
	AgencyID        *int64
	MessageToClient string
}

// AcceptResult is what accepting changed.
type AcceptResult struct {
	Invitation      *market.Invitation
	Proposal        *market.Proposal
	ConnectsBalance int
}

// AcceptInvitation accepts an invitation by submitting a proposal, in one
// transaction: the proposal is created, the invitation marked accepted,
// Connects charged and the client notified (R6, R8, R20).
// Errors: NOT_FOUND, FORBIDDEN, INVALID_STATE, VALIDATION_FAILED,
// CONTACT_INFO_NOT_ALLOWED, INSUFFICIENT_CONNECTS, CONFLICT.
func (s *Service) AcceptInvitation(ctx context.Context, viewerID int64, in AcceptInput) (*AcceptResult, error) {
	var res *AcceptResult
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		inv, job, role, err := lockInvitation(ctx, c, viewerID, in.InvitationID)
		if err != nil {
			return err
		}
		if err := inv.AuthorizeAccept(viewerID, in.AgencyID); err != nil {
			return err
		}
		if err := inv.RequireRespondable(job); err != nil {
			return err
		}
		// Who submits for which agency (R6).
		agencyForRoles := inv.AgencyID
		if in.AgencyID != nil {
			agencyForRoles = in.AgencyID
			if role, err = roleIn(ctx, c, in.AgencyID, viewerID); err != nil {
				return err
			}
		}
		inviteeRole, err := roleIn(ctx, c, agencyForRoles, inv.FreelancerID)
		if err != nil {
			return err
		}
		agencyID, err := market.SubmissionAgency(inv, viewerID, in.AgencyID, role, inviteeRole)
		if err != nil {
			return err
		}
		questions, err := c.QuestionsOfJobs(ctx, []int64{job.ID})
		if err != nil {
			return err
		}
		content, err := market.CheckProposalContent(job, questions, market.ProposalContent{
			CoverLetter: in.CoverLetter, Answers: in.Answers, Attachments: in.Attachments,
		})
		if err != nil {
			return err
		}
		if err := checkContentContacts(content); err != nil {
			return err
		}
		msg, err := market.CheckText("input.messageToClient", in.MessageToClient, market.MaxMessageLen, false)
		if err != nil {
			return err
		}
		if err := noContactInfo("input.messageToClient", msg); err != nil {
			return err
		}
		terms := job.OfferedTerms()
		if in.Terms != nil {
			terms = *in.Terms
		}
		if err := terms.ValidateFor("input.terms", job); err != nil {
			return err
		}

		// Connects (R20): from the agency's balance for agency proposals.
		cost := market.InvitationCost(job, s.cfg.ChargeConnectsForInvitations)
		owner := market.ConnectsOwnerOf(inv.FreelancerID, agencyID)
		if err := c.LockConnects(ctx, owner); err != nil {
			return err
		}
		balance, err := c.ConnectsBalance(ctx, owner)
		if err != nil {
			return err
		}
		if balance, err = market.ChargeConnects("accepting this invitation", cost, balance); err != nil {
			return err
		}

		prop, err := c.CreateProposal(ctx, &market.Proposal{
			JobID: job.ID, FreelancerID: inv.FreelancerID, AgencyID: agencyID, SubmittedBy: viewerID,
			InvitationID: &inv.ID, CoverLetter: content.CoverLetter, Terms: terms, MessageToClient: msg,
			ConnectsSpent: cost, CreatedAt: now,
		}, content.Answers, content.Attachments)
		if err != nil {
			return err
		}
		if cost > 0 {
			if _, err := c.AddLedgerEntry(ctx, owner, market.LedgerApplication, -cost, &prop.ID,
				fmt.Sprintf("Proposal to %q", job.Title), now); err != nil {
				return err
			}
		}
		inv.Accept(now, prop.ID)
		if err := c.UpdateInvitation(ctx, inv); err != nil {
			return err
		}
		if _, err := c.AddNotification(ctx, market.NewNotification{
			UserID: job.ClientID, Kind: market.NotifyInvitationAccepted, SubjectType: market.SubjectProposal,
			SubjectID: prop.ID, ActorID: &viewerID, Title: fmt.Sprintf("Your invitation to %q was accepted with a proposal", job.Title),
		}, now); err != nil {
			return err
		}
		if err := c.Notify(ctx, market.Event{Topic: market.UserTopic(job.ClientID), Kind: market.EventProposal, ID: prop.ID}); err != nil {
			return err
		}
		res = &AcceptResult{Invitation: inv, Proposal: prop, ConnectsBalance: balance}
		return nil
	})
	return res, err
}

func checkContentContacts(c market.ProposalContent) error {
	if err := noContactInfo("input.coverLetter", c.CoverLetter); err != nil {
		return err
	}
	for i, a := range c.Answers {
		if err := noContactInfo(fmt.Sprintf("input.answers.%d.answer", i), a.Text); err != nil {
			return err
		}
	}
	for i, a := range c.Attachments {
		if err := noContactInfo(fmt.Sprintf("input.attachments.%d.name", i), a.Name); err != nil {
			return err
		}
		if err := CheckShownLink(fmt.Sprintf("input.attachments.%d.url", i), a.URL); err != nil {
			return err
		}
	}
	return nil
}

// DeclineInput is a freelancer's decline (R7).
type DeclineInput struct {
	InvitationID int64
	ReasonID     int64
	Message      string
	BlockClient  bool
}

// DeclineInvitation declines an invitation with a reason from the list, an
// optional message to the client (no contact information, R17) and an
// optional block of the client (R5, R7, R8).
// Errors: NOT_FOUND, FORBIDDEN, INVALID_STATE, VALIDATION_FAILED, CONTACT_INFO_NOT_ALLOWED.
func (s *Service) DeclineInvitation(ctx context.Context, viewerID int64, in DeclineInput) (*market.Invitation, error) {
	var out *market.Invitation
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		inv, job, role, err := lockInvitation(ctx, c, viewerID, in.InvitationID)
		if err != nil {
			return err
		}
		if err := inv.CanRespond(viewerID, role, job); err != nil {
			return err
		}
		reason, msg, err := checkReason(ctx, c, market.ReasonInvitationDecline, in.ReasonID, in.Message, "declineReasons")
		if err != nil {
			return err
		}
		inv.Decline(now, reason.ID, msg)
		if err := c.UpdateInvitation(ctx, inv); err != nil {
			return err
		}
		if in.BlockClient {
			if err := c.BlockClient(ctx, inv.FreelancerID, inv.ClientID, now); err != nil {
				return err
			}
		}
		if _, err := c.AddNotification(ctx, market.NewNotification{
			UserID: inv.ClientID, Kind: market.NotifyInvitationDeclined, SubjectType: market.SubjectInvitation,
			SubjectID: inv.ID, ActorID: &viewerID, Title: fmt.Sprintf("Your invitation to %q was declined: %s", job.Title, reason.Label),
		}, now); err != nil {
			return err
		}
		out = inv
		return nil
	})
	return out, err
}

// IgnoreInvitation archives a pending invitation; it stays pending and can
// be accepted or declined later, and it is not a response (R4, R8).
// Errors: NOT_FOUND, FORBIDDEN, INVALID_STATE.
func (s *Service) IgnoreInvitation(ctx context.Context, viewerID, invitationID int64) (*market.Invitation, error) {
	var out *market.Invitation
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		inv, job, role, err := lockInvitation(ctx, c, viewerID, invitationID)
		if err != nil {
			return err
		}
		if err := inv.CanRespond(viewerID, role, job); err != nil {
			return err
		}
		if err := inv.Archive(s.Now()); err != nil {
			return err
		}
		out = inv
		return c.UpdateInvitation(ctx, inv)
	})
	return out, err
}

// MarkInvitationSeen records that the invitee opened the invitation (R9);
// repeating it changes nothing. Errors: NOT_FOUND, FORBIDDEN.
func (s *Service) MarkInvitationSeen(ctx context.Context, viewerID, invitationID int64) (*market.Invitation, error) {
	var out *market.Invitation
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		inv, _, _, err := lockInvitation(ctx, c, viewerID, invitationID)
		if err != nil {
			return err
		}
		if err := inv.AuthorizeMarkSeen(viewerID); err != nil {
			return err
		}
		out = inv
		if !inv.MarkSeen(s.Now()) {
			return nil
		}
		return c.UpdateInvitation(ctx, inv)
	})
	return out, err
}

// InviteInput is a client's direct invitation (R3, R5).
type InviteInput struct {
	JobID        int64
	FreelancerID int64
	AgencyID     *int64
	Message      string
}

// InviteFreelancer sends a DIRECT invitation to apply and notifies the
// freelancer (R3, R5). Errors: NOT_FOUND, FORBIDDEN, INVALID_STATE,
// VALIDATION_FAILED, CONTACT_INFO_NOT_ALLOWED, CONFLICT.
func (s *Service) InviteFreelancer(ctx context.Context, viewerID int64, in InviteInput) (*market.Invitation, error) {
	msg, err := market.CheckText("input.message", in.Message, market.MaxMessageLen, false)
	if err != nil {
		return nil, err
	}
	if err := noContactInfo("input.message", msg); err != nil {
		return nil, err
	}
	var out *market.Invitation
	err = s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		job, err := c.JobForShare(ctx, in.JobID)
		if err != nil {
			return err
		}
		if err := job.AuthorizeClient(viewerID, "invite to it"); err != nil {
			return err
		}
		if err := job.RequireOpen(); err != nil {
			return err
		}
		if in.FreelancerID == viewerID {
			return market.Invalid("input.freelancerId", "you cannot invite yourself to your own job")
		}
		profiles, err := c.ProfilesByUserID(ctx, []int64{in.FreelancerID})
		if err != nil {
			return err
		}
		if len(profiles) == 0 {
			return market.NotFound("freelancer")
		}
		if in.AgencyID != nil {
			role, err := c.AgencyRole(ctx, *in.AgencyID, in.FreelancerID)
			if err != nil {
				return err
			}
			if role == "" {
				return market.Invalid("input.agencyId", "the freelancer is not a member of that agency")
			}
		}
		blocked, err := c.IsBlocked(ctx, in.FreelancerID, viewerID)
		if err != nil {
			return err
		}
		if err := market.RequireNotBlocked(blocked); err != nil {
			return err
		}
		inv, err := c.CreateInvitation(ctx, &market.Invitation{
			JobID: job.ID, FreelancerID: in.FreelancerID, ClientID: viewerID, AgencyID: in.AgencyID,
			Origin: market.OriginDirect, Message: msg, CreatedAt: now,
		})
		if err != nil {
			return err
		}
		if err := c.TouchJob(ctx, job.ID, now); err != nil {
			return err
		}
		if err := notifyInvited(ctx, c, inv, job, &viewerID, now); err != nil {
			return err
		}
		out = inv
		return nil
	})
	return out, err
}

// notifyInvited tells the freelancer (bell and invitation stream) about a
// new invitation.
func notifyInvited(ctx context.Context, c *postgres.Conn, inv *market.Invitation, job *market.Job, actor *int64, now time.Time) error {
	title := fmt.Sprintf("You are invited to apply to %q", job.Title)
	if inv.Origin == market.OriginAutomatic {
		title = fmt.Sprintf("Your profile matches the featured job %q: you are invited to apply", job.Title)
	}
	if _, err := c.AddNotification(ctx, market.NewNotification{
		UserID: inv.FreelancerID, Kind: market.NotifyInvitationReceived, SubjectType: market.SubjectInvitation,
		SubjectID: inv.ID, ActorID: actor, Title: title,
	}, now); err != nil {
		return err
	}
	return c.Notify(ctx, market.Event{Topic: market.UserTopic(inv.FreelancerID), Kind: market.EventInvitation, ID: inv.ID})
}

// WithdrawInvitation takes back a pending invitation (the client's) and
// notifies the freelancer. Errors: NOT_FOUND, FORBIDDEN, INVALID_STATE.
func (s *Service) WithdrawInvitation(ctx context.Context, viewerID, invitationID int64) (*market.Invitation, error) {
	var out *market.Invitation
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		inv, job, _, err := lockInvitation(ctx, c, viewerID, invitationID)
		if err != nil {
			return err
		}
		if err := inv.AuthorizeWithdraw(viewerID); err != nil {
			return err
		}
		if err := inv.Withdraw(now); err != nil {
			return err
		}
		if err := c.UpdateInvitation(ctx, inv); err != nil {
			return err
		}
		if err := c.TouchJob(ctx, job.ID, now); err != nil {
			return err
		}
		if _, err := c.AddNotification(ctx, market.NewNotification{
			UserID: inv.FreelancerID, Kind: market.NotifyInvitationWithdrawn, SubjectType: market.SubjectInvitation,
			SubjectID: inv.ID, ActorID: &viewerID, Title: fmt.Sprintf("The invitation to %q was withdrawn", job.Title),
		}, now); err != nil {
			return err
		}
		out = inv
		return nil
	})
	return out, err
}
