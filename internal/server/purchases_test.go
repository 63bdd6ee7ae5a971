package server_test

import (
	"encoding/json"
	"sync"
	"testing"
)

// TestBuyConnectsOnce: a purchase repeated with the same idempotency key,
// one after the other or many at once, buys once and returns the first
// purchase; the same key asking for another package or another balance is
// a CONFLICT; the balance is always the ledger's sum.
func TestBuyConnectsOnce(t *testing.T) {
	f := newAgencyFixture(t)
	a := f.a
	var pk struct {
		ConnectsPackages []struct {
			Connects int
			Price    struct{ Amount string }
		}
	}
	a.ok(f.olga.Token, `{ connectsPackages { connects price { amount } } }`, nil, &pk)
	if len(pk.ConnectsPackages) != 5 || pk.ConnectsPackages[2].Connects != 40 || pk.ConnectsPackages[2].Price.Amount != "6.00" {
		t.Fatalf("packages: %+v", pk.ConnectsPackages)
	}
	type bought struct {
		BuyConnects struct {
			Purchase struct {
				ID          string
				Connects    int
				LedgerEntry struct {
					Kind   string
					Amount int
				}
			}
			Replayed        bool
			ConnectsBalance int
		}
	}
	buy := func(key string, connects int, agency string) map[string]any {
		in := map[string]any{"connects": connects, "idempotencyKey": key}
		if agency != "" {
			in["agencyId"] = agency
		}
		return map[string]any{"in": in}
	}
	var first, again bought
	a.ok(f.olga.Token, buyMutation, buy("order-0001", 40, ""), &first)
	a.ok(f.olga.Token, buyMutation, buy("order-0001", 40, ""), &again)
	if first.BuyConnects.Replayed || !again.BuyConnects.Replayed || first.BuyConnects.Purchase.ID != again.BuyConnects.Purchase.ID ||
		first.BuyConnects.ConnectsBalance != 50 || again.BuyConnects.ConnectsBalance != 50 ||
		first.BuyConnects.Purchase.LedgerEntry.Kind != "PURCHASE" || first.BuyConnects.Purchase.LedgerEntry.Amount != 40 {
		t.Fatalf("first %+v, again %+v", first, again)
	}
	before := a.state()
	a.fails("CONFLICT", f.olga.Token, buyMutation, buy("order-0001", 20, ""))
	a.fails("CONFLICT", f.olga.Token, buyMutation, buy("order-0001", 40, f.agency))
	if a.state() != before {
		t.Fatal("a conflicting request changed the database")
	}
	// Another buyer's key is theirs.
	a.ok(f.mark.Token, buyMutation, buy("order-0001", 40, f.agency), nil)

	// Eight at once with one key: one purchase.
	const n = 8
	res := make([]bought, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := a.post(f.olga.Token, buyMutation, buy("order-0002", 20, ""))
			if len(r.Errors) > 0 {
				t.Errorf("concurrent purchase: %+v", r.Errors)
				return
			}
			_ = json.Unmarshal(r.Data, &res[i])
		}()
	}
	wg.Wait()
	fresh := 0
	for _, r := range res {
		if !r.BuyConnects.Replayed {
			fresh++
		}
		if r.BuyConnects.Purchase.ID != res[0].BuyConnects.Purchase.ID || r.BuyConnects.ConnectsBalance != 70 {
			t.Errorf("concurrent purchase answered %+v", r)
		}
	}
	if fresh != 1 {
		t.Errorf("%d of %d concurrent requests bought", fresh, n)
	}
	purchases := a.count(`SELECT count(*) FROM connects_ledger WHERE kind = 'PURCHASE' AND user_id IS NOT NULL`)
	sum := a.count(`SELECT sum(amount) FROM connects_ledger l JOIN users u ON u.id = l.user_id WHERE u.email = 'olga@example.com'`)
	if purchases != 2 || sum != 70 || a.connects(f.olga, "") != 70 {
		t.Errorf("purchases %d, ledger sum %d, balance %d; want 2, 70, 70", purchases, sum, a.connects(f.olga, ""))
	}
}

// TestBuyConnectsBadInput: every refusal has its code and changes nothing.
func TestBuyConnectsBadInput(t *testing.T) {
	f := newAgencyFixture(t)
	a := f.a
	before := a.state()
	for _, c := range []struct {
		code, token string
		in          map[string]any
	}{
		{"VALIDATION_FAILED", f.olga.Token, map[string]any{"connects": 15, "idempotencyKey": "order-0001"}},
		{"VALIDATION_FAILED", f.olga.Token, map[string]any{"connects": 10, "idempotencyKey": "short"}},
		{"VALIDATION_FAILED", f.olga.Token, map[string]any{"connects": 10, "idempotencyKey": "has a space"}},
		{"VALIDATION_FAILED", f.olga.Token, map[string]any{"connects": 10, "idempotencyKey": "order-0001", "agencyId": "bm90LWFuLWlk"}},
		{"FORBIDDEN", f.alice.Token, map[string]any{"connects": 10, "idempotencyKey": "order-0001"}},
		{"FORBIDDEN", f.mia.Token, map[string]any{"connects": 10, "idempotencyKey": "order-0001", "agencyId": f.agency}},
		{"NOT_FOUND", f.xavier.Token, map[string]any{"connects": 10, "idempotencyKey": "order-0001", "agencyId": f.agency}},
		{"UNAUTHENTICATED", "", map[string]any{"connects": 10, "idempotencyKey": "order-0001"}},
	} {
		a.fails(c.code, c.token, buyMutation, map[string]any{"in": c.in})
	}
	if a.state() != before {
		t.Fatal("a refused purchase changed the database")
	}
}
