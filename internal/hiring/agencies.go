package hiring

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// CreateAgency creates an agency with the viewer, a freelancer, as its
// owner (R27). The name is shown to clients: no contact details (R17).
// Errors: FORBIDDEN, VALIDATION_FAILED, CONTACT_INFO_NOT_ALLOWED.
func (s *Service) CreateAgency(ctx context.Context, viewerID int64, name string) (*market.Agency, error) {
	n, err := market.CheckAgencyName("input.name", name)
	if err != nil {
		return nil, err
	}
	if err := noContactInfo("input.name", n); err != nil {
		return nil, err
	}
	var out *market.Agency
	err = s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		if _, err := c.LockUser(ctx, viewerID); err != nil {
			return err
		}
		ok, err := c.HasProfile(ctx, viewerID)
		if err != nil {
			return err
		}
		if !ok {
			return market.Errorf(market.CodeForbidden, "only freelancers create agencies: set up a freelancer profile (updateProfile) first")
		}
		a, err := c.CreateAgency(ctx, n, now)
		if err != nil {
			return err
		}
		out = a
		return c.AddAgencyMember(ctx, a.ID, viewerID, market.RoleOwner, now)
	})
	return out, err
}

// Agency returns an agency; anyone signed in may see it. Errors: NOT_FOUND.
func (s *Service) Agency(ctx context.Context, id int64) (*market.Agency, error) {
	as, err := s.store.Read().AgenciesByID(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, market.NotFound("agency")
	}
	return as[0], nil
}

// AgencyRole returns the viewer's role in an agency ("" when not a member).
func (s *Service) AgencyRole(ctx context.Context, viewerID, agencyID int64) (market.AgencyRole, error) {
	return s.store.Read().AgencyRole(ctx, agencyID, viewerID)
}

// AgencyMembers lists an agency's members, to its staff only (ok false for
// anyone else).
func (s *Service) AgencyMembers(ctx context.Context, viewerID, agencyID int64) ([]market.AgencyMember, bool, error) {
	c := s.store.Read()
	role, err := c.AgencyRole(ctx, agencyID, viewerID)
	if err != nil || !role.IsStaff() {
		return nil, false, err
	}
	ms, err := c.AgencyMembersFull(ctx, agencyID)
	return ms, true, err
}

// AgencyPendingInvitations lists the invitations to join an agency still
// waiting for an answer, to its staff only (ok false for anyone else).
func (s *Service) AgencyPendingInvitations(ctx context.Context, viewerID, agencyID int64) ([]*market.AgencyInvitation, bool, error) {
	c := s.store.Read()
	role, err := c.AgencyRole(ctx, agencyID, viewerID)
	if err != nil || !role.IsStaff() {
		return nil, false, err
	}
	invs, err := c.PendingAgencyInvitations(ctx, 0, agencyID)
	if invs == nil {
		invs = []*market.AgencyInvitation{}
	}
	return invs, true, err
}

// MyAgencyInvitations lists the viewer's pending invitations to join agencies.
func (s *Service) MyAgencyInvitations(ctx context.Context, viewerID int64) ([]*market.AgencyInvitation, error) {
	invs, err := s.store.Read().PendingAgencyInvitations(ctx, viewerID, 0)
	if invs == nil {
		invs = []*market.AgencyInvitation{}
	}
	return invs, err
}

// AgencyInvitationsByID loads invitations to join agencies (for loaders).
func (s *Service) AgencyInvitationsByID(ctx context.Context, ids []int64) (map[int64]*market.AgencyInvitation, error) {
	invs, err := s.store.Read().AgencyInvitationsByID(ctx, ids)
	out := make(map[int64]*market.AgencyInvitation, len(invs))
	for _, i := range invs {
		out[i.ID] = i
	}
	return out, err
}

// AgencyInvitation returns an invitation to join an agency that the viewer
// may see (the invitee, the agency's staff). Errors: NOT_FOUND.
func (s *Service) AgencyInvitation(ctx context.Context, viewerID, id int64) (*market.AgencyInvitation, error) {
	c := s.store.Read()
	inv, err := c.AgencyInvitation(ctx, id, false)
	if err != nil {
		return nil, err
	}
	role, err := c.AgencyRole(ctx, inv.AgencyID, viewerID)
	if err != nil {
		return nil, err
	}
	if !inv.CanView(viewerID, role) {
		return nil, market.NotFound("agency invitation")
	}
	return inv, nil
}

// InviteMemberInput names whom to invite to an agency: by email or user id.
type InviteMemberInput struct {
	AgencyID int64
	Email    *string
	UserID   *int64
	Role     market.AgencyRole
}

// InviteAgencyMember invites a freelancer to join an agency with a role
// (R27) and notifies them. Errors: NOT_FOUND, FORBIDDEN, VALIDATION_FAILED, CONFLICT.
func (s *Service) InviteAgencyMember(ctx context.Context, viewerID int64, in InviteMemberInput) (*market.AgencyInvitation, error) {
	if (in.Email == nil) == (in.UserID == nil) {
		return nil, market.Invalid("input", "give the freelancer's email or their user id (one of them)")
	}
	var email string
	if in.Email != nil {
		var err error
		if email, err = market.NormalizeEmail("input.email", *in.Email); err != nil {
			return nil, err
		}
	}
	var out *market.AgencyInvitation
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		agency, err := c.LockAgency(ctx, in.AgencyID)
		if err != nil {
			return err
		}
		role, err := c.AgencyRole(ctx, agency.ID, viewerID)
		if err != nil {
			return err
		}
		if err := market.AuthorizeInvite(role, in.Role); err != nil {
			return err
		}
		var invitee *market.User
		if in.UserID != nil {
			us, err := c.UsersByID(ctx, []int64{*in.UserID})
			if err != nil {
				return err
			}
			if len(us) == 0 {
				return market.NotFound("user")
			}
			invitee = us[0]
		} else if invitee, err = c.UserByEmail(ctx, email); err != nil {
			if market.IsCode(err, market.CodeNotFound) {
				return &market.Error{Code: market.CodeNotFound, Message: "no account has this email", Field: "input.email"}
			}
			return err
		}
		isFreelancer, err := c.HasProfile(ctx, invitee.ID)
		if err != nil {
			return err
		}
		if !isFreelancer {
			return market.Invalid("input", "%s is not a freelancer: only freelancers join agencies", invitee.Name)
		}
		current, err := c.AgencyRole(ctx, agency.ID, invitee.ID)
		if err != nil {
			return err
		}
		if current != "" {
			return market.Errorf(market.CodeConflict, "%s is a member of the agency already", invitee.Name)
		}
		inv, err := c.CreateAgencyInvitation(ctx, &market.AgencyInvitation{
			AgencyID: agency.ID, UserID: invitee.ID, Role: in.Role, InvitedBy: viewerID, CreatedAt: now,
		})
		if err != nil {
			return err
		}
		out = inv
		_, err = c.AddNotification(ctx, market.NewNotification{
			UserID: invitee.ID, Kind: market.NotifyAgencyInvitationReceived, SubjectType: market.SubjectAgencyInvitation,
			SubjectID: inv.ID, ActorID: &viewerID,
			Title: fmt.Sprintf("You are invited to join the agency %q as %s", agency.Name, roleName(in.Role)),
		}, now)
		return err
	})
	return out, err
}

func roleName(r market.AgencyRole) string {
	return strings.ToLower(strings.ReplaceAll(string(r), "_", " "))
}

// RespondAgencyInvitation accepts (joining with the invitation's role) or
// declines an invitation to join an agency, as its invitee, and notifies
// whoever invited. Errors: NOT_FOUND, FORBIDDEN, INVALID_STATE.
func (s *Service) RespondAgencyInvitation(ctx context.Context, viewerID, id int64, accept bool) (*market.AgencyInvitation, error) {
	var out *market.AgencyInvitation
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		peek, err := c.AgencyInvitation(ctx, id, false)
		if err != nil {
			return err
		}
		agency, err := c.LockAgency(ctx, peek.AgencyID)
		if err != nil {
			return err
		}
		inv, err := c.AgencyInvitation(ctx, id, true)
		if err != nil {
			return err
		}
		role, err := c.AgencyRole(ctx, inv.AgencyID, viewerID)
		if err != nil {
			return err
		}
		if !inv.CanView(viewerID, role) {
			return market.NotFound("agency invitation")
		}
		if err := inv.Respond(viewerID, accept, now); err != nil {
			return err
		}
		if err := c.UpdateAgencyInvitation(ctx, inv); err != nil {
			return err
		}
		kind, verb := market.NotifyAgencyInvitationDeclined, "declined"
		if accept {
			kind, verb = market.NotifyAgencyInvitationAccepted, "accepted"
			if role != "" {
				return market.Errorf(market.CodeConflict, "you are a member of the agency already")
			}
			if err := c.AddAgencyMember(ctx, inv.AgencyID, viewerID, inv.Role, now); err != nil {
				return err
			}
		}
		out = inv
		_, err = c.AddNotification(ctx, market.NewNotification{
			UserID: inv.InvitedBy, Kind: kind, SubjectType: market.SubjectAgencyInvitation, SubjectID: inv.ID, ActorID: &viewerID,
			Title: fmt.Sprintf("Your invitation to join %q was %s", agency.Name, verb),
		}, now)
		return err
	})
	return out, err
}

// SetAgencyMemberRole changes a member's role, as the owner (R27); the
// member is notified. A business manager who is no longer one leaves the
// rooms they sat in as such (market.RoomRolesLost).
// Errors: NOT_FOUND, FORBIDDEN, VALIDATION_FAILED, INVALID_STATE.
func (s *Service) SetAgencyMemberRole(ctx context.Context, viewerID, agencyID, userID int64, role market.AgencyRole) (*market.Agency, error) {
	var out *market.Agency
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		agency, current, err := ownerAction(ctx, c, viewerID, agencyID, userID, "change members' roles")
		if err != nil {
			return err
		}
		if err := market.CheckRoleChange(current, role); err != nil {
			return err
		}
		out = agency
		if current == role {
			return nil
		}
		if err := changeRole(ctx, c, agency, userID, role); err != nil {
			return err
		}
		return notifyRole(ctx, c, agency, userID, viewerID, role, now)
	})
	return out, err
}

// ownerAction locks an agency for a change only its owner makes (R27) and
// returns it with the role of the member it concerns ("" when not one).
// Errors: NOT_FOUND, FORBIDDEN.
func ownerAction(ctx context.Context, c *postgres.Conn, viewerID, agencyID, userID int64, action string) (*market.Agency, market.AgencyRole, error) {
	agency, err := c.LockAgency(ctx, agencyID)
	if err != nil {
		return nil, "", err
	}
	actor, err := c.AgencyRole(ctx, agencyID, viewerID)
	if err != nil {
		return nil, "", err
	}
	if err := market.AuthorizeOwner(actor, action); err != nil {
		return nil, "", err
	}
	role, err := c.AgencyRole(ctx, agencyID, userID)
	return agency, role, err
}

func changeRole(ctx context.Context, c *postgres.Conn, agency *market.Agency, userID int64, role market.AgencyRole) error {
	if err := c.SetAgencyRole(ctx, agency.ID, userID, role); err != nil {
		return err
	}
	return c.LeaveAgencyRooms(ctx, agency.ID, userID, market.RoomRolesLost(role))
}

func notifyRole(ctx context.Context, c *postgres.Conn, agency *market.Agency, userID, actorID int64, role market.AgencyRole, now time.Time) error {
	_, err := c.AddNotification(ctx, market.NewNotification{
		UserID: userID, Kind: market.NotifyAgencyRoleChanged, SubjectType: market.SubjectAgency, SubjectID: agency.ID, ActorID: &actorID,
		Title: fmt.Sprintf("You are now %s of the agency %q", roleName(role), agency.Name),
	}, now)
	return err
}

// RemoveAgencyMember removes a member, as the owner (R27). From the commit
// on, the member no longer sees the agency's invitations, proposals, offers
// and contracts, and has left every room of the agency's proposals; they
// are notified. Errors: NOT_FOUND, FORBIDDEN, INVALID_STATE.
func (s *Service) RemoveAgencyMember(ctx context.Context, viewerID, agencyID, userID int64) (*market.Agency, error) {
	var out *market.Agency
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		agency, current, err := ownerAction(ctx, c, viewerID, agencyID, userID, "remove members")
		if err != nil {
			return err
		}
		if err := market.CheckRemoval(current, false); err != nil {
			return err
		}
		if err := leave(ctx, c, agency, userID); err != nil {
			return err
		}
		out = agency
		_, err = c.AddNotification(ctx, market.NewNotification{
			UserID: userID, Kind: market.NotifyAgencyMemberRemoved, SubjectType: market.SubjectAgency, SubjectID: agency.ID, ActorID: &viewerID,
			Title: fmt.Sprintf("You were removed from the agency %q", agency.Name),
		}, now)
		return err
	})
	return out, err
}

func leave(ctx context.Context, c *postgres.Conn, agency *market.Agency, userID int64) error {
	if err := c.RemoveAgencyMember(ctx, agency.ID, userID); err != nil {
		return err
	}
	return c.LeaveAgencyRooms(ctx, agency.ID, userID, market.RoomRolesLost(""))
}

// LeaveAgency takes the viewer out of an agency, as removal does; the owner
// is notified. The owner cannot leave. Errors: NOT_FOUND, INVALID_STATE.
func (s *Service) LeaveAgency(ctx context.Context, viewerID, agencyID int64) error {
	return s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		agency, err := c.LockAgency(ctx, agencyID)
		if err != nil {
			return err
		}
		members, err := c.AgencyMembers(ctx, agencyID)
		if err != nil {
			return err
		}
		var current market.AgencyRole
		var owner int64
		for _, m := range members {
			if m.UserID == viewerID {
				current = m.Role
			}
			if m.Role == market.RoleOwner {
				owner = m.UserID
			}
		}
		if current == "" {
			return market.NotFound("agency")
		}
		if err := market.CheckRemoval(current, true); err != nil {
			return err
		}
		if err := leave(ctx, c, agency, viewerID); err != nil {
			return err
		}
		_, err = c.AddNotification(ctx, market.NewNotification{
			UserID: owner, Kind: market.NotifyAgencyMemberLeft, SubjectType: market.SubjectAgency, SubjectID: agency.ID, ActorID: &viewerID,
			Title: fmt.Sprintf("A member left the agency %q", agency.Name),
		}, now)
		return err
	})
}

// TransferAgencyOwnership makes another member the owner, as the owner;
// the previous owner stays with previousRole. Both are notified. The agency
// has exactly one owner before and after (R27).
// Errors: NOT_FOUND, FORBIDDEN, VALIDATION_FAILED.
func (s *Service) TransferAgencyOwnership(ctx context.Context, viewerID, agencyID, toID int64, previousRole market.AgencyRole) (*market.Agency, error) {
	var out *market.Agency
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		agency, toRole, err := ownerAction(ctx, c, viewerID, agencyID, toID, "transfer ownership")
		if err != nil {
			return err
		}
		if err := market.CheckTransfer(viewerID, toID, toRole, previousRole); err != nil {
			return err
		}
		// The old owner steps down first: at most one owner at any moment.
		if err := changeRole(ctx, c, agency, viewerID, previousRole); err != nil {
			return err
		}
		if err := changeRole(ctx, c, agency, toID, market.RoleOwner); err != nil {
			return err
		}
		out = agency
		if err := notifyRole(ctx, c, agency, toID, viewerID, market.RoleOwner, now); err != nil {
			return err
		}
		return notifyRole(ctx, c, agency, viewerID, viewerID, previousRole, now)
	})
	return out, err
}
