package market

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ConnectsPackage is a number of Connects sold together at a price (R28).
type ConnectsPackage struct {
	Connects int
	Price    Money
}

// DefaultConnectsPackages are the packages of the platform the seed comes
// from: Connects at $0.15 each, in the sizes it sells.
const DefaultConnectsPackages = "10:1.50,20:3.00,40:6.00,60:9.00,80:12.00"

// MaxPackageConnects bounds a package's size.
const MaxPackageConnects = 10000

// ParseConnectsPackages reads a packages setting: comma-separated
// "connects:price" pairs, e.g. "10:1.50,40:6.00", sizes distinct. The result
// is sorted by size.
func ParseConnectsPackages(s string) ([]ConnectsPackage, error) {
	var out []ConnectsPackage
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		n, price, ok := strings.Cut(part, ":")
		size, err := strconv.Atoi(strings.TrimSpace(n))
		if !ok || err != nil || size < 1 || size > MaxPackageConnects {
			return nil, fmt.Errorf("package %q: want connects:price with connects from 1 to %d", part, MaxPackageConnects)
		}
		m, err := ParseMoney("price", strings.TrimSpace(price), DefaultCurrency)
		if err != nil || m.Minor <= 0 {
			return nil, fmt.Errorf("package %q: the price must be a positive amount like 1.50", part)
		}
		for _, p := range out {
			if p.Connects == size {
				return nil, fmt.Errorf("package size %d is listed twice", size)
			}
		}
		out = append(out, ConnectsPackage{Connects: size, Price: m})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no packages")
	}
	slices.SortFunc(out, func(a, b ConnectsPackage) int { return a.Connects - b.Connects })
	return out, nil
}

// FindPackage picks the package of a size. Errors: VALIDATION_FAILED.
func FindPackage(packages []ConnectsPackage, connects int) (ConnectsPackage, error) {
	for _, p := range packages {
		if p.Connects == connects {
			return p, nil
		}
	}
	sizes := make([]string, len(packages))
	for i, p := range packages {
		sizes[i] = strconv.Itoa(p.Connects)
	}
	return ConnectsPackage{}, Invalid("input.connects", "no package of %d Connects: choose one of %s (see connectsPackages)", connects, strings.Join(sizes, ", "))
}

// MaxIdempotencyKeyLen bounds a client-chosen idempotency key.
const MaxIdempotencyKeyLen = 100

// CheckIdempotencyKey checks a client-chosen idempotency key: 8 to 100
// characters of letters, digits and - _ . : (a UUID fits).
// Errors: VALIDATION_FAILED.
func CheckIdempotencyKey(field, key string) error {
	if len(key) < 8 || len(key) > MaxIdempotencyKeyLen {
		return Invalid(field, "an idempotency key has 8 to %d characters (a UUID fits)", MaxIdempotencyKeyLen)
	}
	for _, r := range key {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.:", r)) {
			return Invalid(field, "an idempotency key holds letters, digits and - _ . : only")
		}
	}
	return nil
}

// ConnectsPurchase is a bought package: the charge recorded for it (no
// payment provider is integrated) and the PURCHASE ledger entry it added.
type ConnectsPurchase struct {
	ID             int64     `db:"id"`
	BuyerID        int64     `db:"buyer_id"`
	UserID         *int64    `db:"user_id"`
	AgencyID       *int64    `db:"agency_id"`
	Connects       int       `db:"connects"`
	PriceMinor     int64     `db:"price_minor"`
	Currency       string    `db:"currency"`
	IdempotencyKey string    `db:"idempotency_key"`
	LedgerEntryID  int64     `db:"ledger_entry_id"`
	CreatedAt      time.Time `db:"created_at"`
}

func (*ConnectsPurchase) IsNode() {}

// Price is what the purchase cost.
func (p *ConnectsPurchase) Price() Money { return Money{Minor: p.PriceMinor, Currency: p.Currency} }

// Owner is whose balance the purchase credited.
func (p *ConnectsPurchase) Owner() ConnectsOwner {
	if p.AgencyID != nil {
		return ConnectsOwner{AgencyID: *p.AgencyID}
	}
	return ConnectsOwner{UserID: *p.UserID}
}

// SameRequest reports whether a repeated purchase request (same buyer, same
// idempotency key) asks for the same thing: then it is replayed, otherwise
// it is a CONFLICT.
func (p *ConnectsPurchase) SameRequest(owner ConnectsOwner, connects int) bool {
	return p.Owner() == owner && p.Connects == connects
}

// AuthorizePurchase checks who buys for whom (R28): a freelancer for
// themselves, or an agency's owner or business manager for the agency.
// roleInAgency is the buyer's role in the agency (agency purchases).
// Errors: NOT_FOUND, FORBIDDEN.
func AuthorizePurchase(forAgency bool, isFreelancer bool, roleInAgency AgencyRole) error {
	if forAgency {
		if roleInAgency == "" {
			return NotFound("agency")
		}
		if !roleInAgency.IsStaff() {
			return Errorf(CodeForbidden, "only the agency's owner or business managers buy Connects for it")
		}
		return nil
	}
	if !isFreelancer {
		return Errorf(CodeForbidden, "Connects are for freelancers: set up a freelancer profile (updateProfile) first")
	}
	return nil
}
