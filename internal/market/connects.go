package market

import "fmt"

// Connects (R20): a proposal costs its job's Connects, paid from the
// agency's balance for agency proposals and from the freelancer's otherwise.

// ConnectsOwnerOf is whose balance pays for a proposal of freelancerID,
// submitted under agencyID (nil: none): the agency's, else the freelancer's.
func ConnectsOwnerOf(freelancerID int64, agencyID *int64) ConnectsOwner {
	if agencyID != nil {
		return ConnectsOwner{AgencyID: *agencyID}
	}
	return ConnectsOwner{UserID: freelancerID}
}

// InvitationCost is what accepting an invitation to job costs: the job's
// Connects, or nothing when the platform does not charge for invitations
// (charge is configuration).
func InvitationCost(job *Job, charge bool) int {
	if !charge {
		return 0
	}
	return job.ConnectsRequired
}

// ChargeConnects charges cost to a balance for action ("accepting this
// invitation") and returns the balance after it. Errors:
// INSUFFICIENT_CONNECTS, with the cost and the balance in its details.
func ChargeConnects(action string, cost, balance int) (int, error) {
	if balance < cost {
		return balance, &Error{Code: CodeInsufficientConnects,
			Message: fmt.Sprintf("%s costs %d Connects; the balance is %d", action, cost, balance),
			Details: map[string]any{"required": cost, "balance": balance}}
	}
	return balance - cost, nil
}

// RequireStaff checks that a user with this role in an agency is its staff
// (owner, business manager): only they see the agency's Connects. To anyone
// else the agency's balance does not exist. Errors: NOT_FOUND.
func (r AgencyRole) RequireStaff() error {
	if !r.IsStaff() {
		return NotFound("agency")
	}
	return nil
}
