package market

import (
	"strings"
	"time"
)

// Agency rules (R27). An agency always has exactly one owner; the owner
// invites members with any role but owner, changes roles, removes members
// and may hand ownership to another member; business managers may invite
// members (with the MEMBER role). A member other than the owner may leave.

// Limits of agency inputs.
const (
	MinAgencyNameLen = 2
	MaxAgencyNameLen = 100
)

// CheckAgencyName trims and checks an agency's name. Errors: VALIDATION_FAILED.
func CheckAgencyName(field, name string) (string, error) {
	n, err := CheckText(field, name, MaxAgencyNameLen, true)
	if err != nil {
		return "", err
	}
	if len([]rune(n)) < MinAgencyNameLen {
		return "", Invalid(field, "an agency name has at least %d characters", MinAgencyNameLen)
	}
	return n, nil
}

// AgencyInvitationStatus of an invitation to join an agency.
type AgencyInvitationStatus string

const (
	AgencyInvitationPending  AgencyInvitationStatus = "PENDING"
	AgencyInvitationAccepted AgencyInvitationStatus = "ACCEPTED"
	AgencyInvitationDeclined AgencyInvitationStatus = "DECLINED"
)

// AgencyInvitation invites a freelancer to join an agency with a role.
type AgencyInvitation struct {
	ID          int64                  `db:"id"`
	AgencyID    int64                  `db:"agency_id"`
	UserID      int64                  `db:"user_id"`
	Role        AgencyRole             `db:"role"`
	InvitedBy   int64                  `db:"invited_by"`
	Status      AgencyInvitationStatus `db:"status"`
	CreatedAt   time.Time              `db:"created_at"`
	RespondedAt *time.Time             `db:"responded_at"`
}

func (*AgencyInvitation) IsNode() {}

// CanViewAgencyInvitation reports whether a user may see an agency
// invitation: the invitee, or the agency's current staff.
func (i *AgencyInvitation) CanView(userID int64, roleInAgency AgencyRole) bool {
	return userID == i.UserID || roleInAgency.IsStaff()
}

// Respond accepts or declines a pending invitation as its invitee.
// Errors: FORBIDDEN, INVALID_STATE.
func (i *AgencyInvitation) Respond(userID int64, accept bool, now time.Time) error {
	if userID != i.UserID {
		return Errorf(CodeForbidden, "only the invited freelancer may answer this invitation to join the agency")
	}
	if i.Status != AgencyInvitationPending {
		return Errorf(CodeInvalidState, "the invitation to join the agency is %s", strings.ToLower(string(i.Status)))
	}
	i.Status = AgencyInvitationDeclined
	if accept {
		i.Status = AgencyInvitationAccepted
	}
	i.RespondedAt = &now
	return nil
}

// AuthorizeInvite checks that a user with actorRole may invite someone with
// role (R27): the owner invites business managers and members, a business
// manager invites members; nobody is invited as owner (ownership is
// transferred). Errors: NOT_FOUND (not a member), FORBIDDEN, VALIDATION_FAILED.
func AuthorizeInvite(actorRole, role AgencyRole) error {
	if actorRole == "" {
		return NotFound("agency")
	}
	switch role {
	case RoleBusinessManager, RoleMember:
	case RoleOwner:
		return Invalid("input.role", "nobody is invited as owner: the owner transfers ownership to a member instead")
	default:
		return Invalid("input.role", "unknown role %q", role)
	}
	switch {
	case actorRole == RoleOwner:
		return nil
	case actorRole == RoleBusinessManager && role == RoleMember:
		return nil
	case actorRole == RoleBusinessManager:
		return Errorf(CodeForbidden, "a business manager invites members only; the owner invites business managers")
	}
	return Errorf(CodeForbidden, "only the agency's owner or business managers may invite members")
}

// AuthorizeOwner checks that actorRole is the agency's owner, who alone
// manages roles, removes members and transfers ownership.
// Errors: NOT_FOUND (not a member), FORBIDDEN.
func AuthorizeOwner(actorRole AgencyRole, action string) error {
	if actorRole == "" {
		return NotFound("agency")
	}
	if actorRole != RoleOwner {
		return Errorf(CodeForbidden, "only the agency's owner may %s", action)
	}
	return nil
}

// CheckRoleChange validates a role change of a member by the owner: the
// member must exist and not be the owner, and the new role must be business
// manager or member. Errors: NOT_FOUND, VALIDATION_FAILED, INVALID_STATE.
func CheckRoleChange(current, role AgencyRole) error {
	if current == "" {
		return NotFound("agency member")
	}
	switch role {
	case RoleBusinessManager, RoleMember:
	case RoleOwner:
		return Invalid("input.role", "use transferAgencyOwnership to make a member the owner: an agency has exactly one owner")
	default:
		return Invalid("input.role", "unknown role %q", role)
	}
	if current == RoleOwner {
		return Errorf(CodeInvalidState, "the owner's role changes only by transferring ownership to another member")
	}
	return nil
}

// CheckRemoval validates removing a member (by the owner) or leaving (by
// the member): the owner can do neither, as the agency would be left
// without one. Errors: NOT_FOUND, INVALID_STATE.
func CheckRemoval(current AgencyRole, leaving bool) error {
	if current == "" {
		return NotFound("agency member")
	}
	if current == RoleOwner {
		if leaving {
			return Errorf(CodeInvalidState, "the owner cannot leave the agency: transfer ownership to another member first")
		}
		return Errorf(CodeInvalidState, "the owner cannot be removed: an agency always has exactly one owner")
	}
	return nil
}

// CheckTransfer validates handing ownership to another member; the previous
// owner keeps previousRole (business manager or member).
// Errors: NOT_FOUND, VALIDATION_FAILED.
func CheckTransfer(ownerID, toID int64, toRole, previousRole AgencyRole) error {
	if toRole == "" {
		return NotFound("agency member")
	}
	if toID == ownerID {
		return Invalid("input.userId", "you are the owner already")
	}
	if previousRole != RoleBusinessManager && previousRole != RoleMember {
		return Invalid("input.previousOwnerRole", "the previous owner stays as BUSINESS_MANAGER or MEMBER")
	}
	return nil
}

// FreelancerSide reports whether userID acts on the freelancer's side of
// something (an invitation, a proposal, an offer, a contract) of
// freelancerID's under agencyID: the freelancer themselves, and for agency
// items only while still a member of the agency (roleInAgency is the user's
// role there): a member who leaves or is removed loses the agency's
// invitations, proposals, offers and contracts at once (R27).
func FreelancerSide(userID, freelancerID int64, agencyID *int64, roleInAgency AgencyRole) bool {
	return userID == freelancerID && (agencyID == nil || roleInAgency != "")
}

// RoomRolesLost says which seats in the message rooms of an agency's
// proposals a user gives up when their role in the agency becomes newRole
// ("" when they leave or are removed). Rooms are joined when they open
// (R14); afterwards: a removed member leaves every room of the agency's
// proposals at once (their own proposals' included); a business manager
// who is no longer one leaves the rooms they sat in as business manager,
// an owner who is no longer one those they sat in as owner. Someone who
// gains a role joins the rooms opened from then on, not the open ones.
func RoomRolesLost(newRole AgencyRole) []RoomRole {
	switch newRole {
	case "":
		return []RoomRole{RoomFreelancer, RoomBusinessManager, RoomAgencyOwner}
	case RoleOwner:
		return []RoomRole{RoomBusinessManager}
	case RoleBusinessManager:
		return []RoomRole{RoomAgencyOwner}
	}
	return []RoomRole{RoomBusinessManager, RoomAgencyOwner}
}
