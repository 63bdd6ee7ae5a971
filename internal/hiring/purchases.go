package hiring

import (
	"context"

	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// ConnectsPackages lists the packages on sale (R28).
func (s *Service) ConnectsPackages() []market.ConnectsPackage {
	if len(s.cfg.ConnectsPackages) > 0 {
		return s.cfg.ConnectsPackages
	}
	p, err := market.ParseConnectsPackages(market.DefaultConnectsPackages)
	if err != nil {
		panic(err) // a constant of the source
	}
	return p
}

// BuyInput is a purchase request.
type BuyInput struct {
	Connects       int
	IdempotencyKey string
	AgencyID       *int64
}

// BuyResult is what buying did.
type BuyResult struct {
	Purchase *market.ConnectsPurchase
	Replayed bool
	Balance  int
}

// BuyConnects buys a package for the viewer (a freelancer) or an agency
// they own or manage (R28): one PURCHASE ledger entry and the recorded
// charge, in one transaction. The buyer's row is locked first, so that
// requests with the same key serialize: the first buys, the others replay
// it; the same key asking for something else is a CONFLICT.
// Errors: NOT_FOUND, FORBIDDEN, VALIDATION_FAILED, CONFLICT.
func (s *Service) BuyConnects(ctx context.Context, viewerID int64, in BuyInput) (*BuyResult, error) {
	pkg, err := market.FindPackage(s.ConnectsPackages(), in.Connects)
	if err != nil {
		return nil, err
	}
	if err := market.CheckIdempotencyKey("input.idempotencyKey", in.IdempotencyKey); err != nil {
		return nil, err
	}
	var out *BuyResult
	err = s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		if _, err := c.LockUser(ctx, viewerID); err != nil {
			return err
		}
		owner := market.ConnectsOwner{UserID: viewerID}
		var role market.AgencyRole
		isFreelancer := false
		if in.AgencyID != nil {
			owner = market.ConnectsOwner{AgencyID: *in.AgencyID}
			if role, err = c.AgencyRole(ctx, *in.AgencyID, viewerID); err != nil {
				return err
			}
		} else if isFreelancer, err = c.HasProfile(ctx, viewerID); err != nil {
			return err
		}
		if err := market.AuthorizePurchase(in.AgencyID != nil, isFreelancer, role); err != nil {
			return err
		}
		prev, err := c.PurchaseByKey(ctx, viewerID, in.IdempotencyKey)
		if err != nil {
			return err
		}
		res := &BuyResult{Purchase: prev, Replayed: prev != nil}
		if prev != nil {
			if !prev.SameRequest(owner, pkg.Connects) {
				return &market.Error{Code: market.CodeConflict, Field: "input.idempotencyKey",
					Message: "this idempotency key was used for another purchase: use a new key for a new purchase"}
			}
		} else {
			if err := c.LockConnects(ctx, owner); err != nil {
				return err
			}
			if res.Purchase, err = c.CreatePurchase(ctx, viewerID, owner, pkg, in.IdempotencyKey, now); err != nil {
				return err
			}
		}
		if res.Balance, err = c.ConnectsBalance(ctx, owner); err != nil {
			return err
		}
		out = res
		return nil
	})
	return out, err
}

// PurchasesByID loads purchases (for loaders).
func (s *Service) PurchasesByID(ctx context.Context, ids []int64) (map[int64]*market.ConnectsPurchase, error) {
	ps, err := s.store.Read().PurchasesByID(ctx, ids)
	out := make(map[int64]*market.ConnectsPurchase, len(ps))
	for _, p := range ps {
		out[p.ID] = p
	}
	return out, err
}

// Purchase returns a Connects purchase the viewer may see: one for their
// own balance, or one for an agency's balance to its owner and business
// managers. Errors: NOT_FOUND.
func (s *Service) Purchase(ctx context.Context, viewerID, id int64) (*market.ConnectsPurchase, error) {
	ps, err := s.store.Read().PurchasesByID(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	if len(ps) == 1 {
		p := ps[0]
		switch {
		case p.AgencyID == nil && p.UserID != nil && *p.UserID == viewerID:
			return p, nil
		case p.AgencyID != nil && s.requireStaff(ctx, viewerID, *p.AgencyID) == nil:
			return p, nil
		}
	}
	return nil, market.NotFound("Connects purchase")
}
