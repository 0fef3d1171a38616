package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aqjurek/tracker/internal/store/storetest"
	"github.com/aqjurek/tracker/internal/supply"
)

// race runs n calls at once, spread over the handles, and returns how many
// succeeded; every other call must fail with the code refused.
func race(t *testing.T, handles []*DB, n int, refused supply.Code, call func(db *DB, i int) error) int {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { errs[i] = call(handles[i%len(handles)], i) })
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case codeOf(err) != refused:
			t.Errorf("call %d: %v, want success or code %v", i, err, refused)
		}
	}
	return won
}

// TestStockNeverGoesNegativeUnderConcurrentWriteOffs writes off a lot's
// goods a kilogram at a time from twice as many callers as it holds
// kilograms, through two handles at once: exactly as many succeed as there
// are kilograms, the rest are refused, and the lot ends at zero with every
// write-off recorded once.
func TestStockNeverGoesNegativeUnderConcurrentWriteOffs(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		handles := []*DB{openDB(t, dsn), openDB(t, dsn)}
		db := handles[0]
		ctx := context.Background()
		if _, err := db.CreateDepot(ctx, &supply.Depot{ID: "bazaar", DisplayName: "Bazaar"}, testOp); err != nil {
			t.Fatal(err)
		}
		const kilograms = 10
		d := &supply.Donation{ID: supply.NewID(), Donor: supply.Donor{DisplayName: "Green Bazaar"}, Kind: supply.GoodsDonation,
			DepotID: "bazaar", Lines: []supply.GoodsLine{{Category: supply.Fruit, Description: "apples", Quantity: kilograms * supply.QuantityScale, Unit: supply.Kilogram}}}
		if err := d.PrepareNew(testNow, supply.NewViolations("")); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateDonation(ctx, d, testOp); err != nil {
			t.Fatal(err)
		}
		lots, _, err := db.ListLots(ctx, supply.LotQuery{DepotID: "bazaar", Page: supply.Page{Size: 10}})
		if err != nil || len(lots) != 1 {
			t.Fatalf("lots = %v, %v; want one", lots, err)
		}
		lot := lots[0]
		won := race(t, handles, 2*kilograms, supply.FailedPrecondition, func(db *DB, i int) error {
			_, err := db.WriteOffLot(ctx, "bazaar", lot.ID, "", supply.QuantityScale, fmt.Sprintf("bruised, crate %d", i), testOp)
			return err
		})
		if won != kilograms {
			t.Errorf("%d write-offs of a kilogram succeeded, want %d", won, kilograms)
		}
		after, err := handles[1].GetLot(ctx, "bazaar", lot.ID)
		if err != nil {
			t.Fatal(err)
		}
		if after.OnHand() != 0 || after.WrittenOff != kilograms*supply.QuantityScale {
			t.Errorf("lot holds %d and wrote off %d, want 0 and %d", after.OnHand(), after.WrittenOff, kilograms*supply.QuantityScale)
		}
		if n := count(t, db, "SELECT count(*) FROM write_offs"); n != won {
			t.Errorf("%d write-offs recorded, want %d", n, won)
		}
		if n := count(t, db, "SELECT count(*) FROM lots WHERE received - taken - written_off - reversed < 0"); n != 0 {
			t.Errorf("%d lots below zero", n)
		}
		if n := count(t, db, "SELECT count(*) FROM events WHERE resource = ?", after.Name()); n != 1+won {
			t.Errorf("%d events of the lot, want its receipt and %d write-offs", n, won)
		}
	})
}

// TestPurchasesNeverSpendMoreThanDonationsHold makes purchases at once,
// through two handles, for twice what the money donations hold, some
// naming the donation to pay from, some letting the oldest pay: exactly as
// many succeed as the money covers, and no donation gives more than it
// holds.
func TestPurchasesNeverSpendMoreThanDonationsHold(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		handles := []*DB{openDB(t, dsn), openDB(t, dsn)}
		db := handles[0]
		ctx := context.Background()
		if _, err := db.CreateDepot(ctx, &supply.Depot{ID: "bazaar", DisplayName: "Bazaar"}, testOp); err != nil {
			t.Fatal(err)
		}
		// KZT 6,000.00 and KZT 4,000.00 pay for ten purchases of KZT 1,000.00;
		// the dollars pay for none of them.
		var donations []*supply.Donation
		for i, amount := range []supply.Money{{Currency: "KZT", Minor: 600000}, {Currency: "KZT", Minor: 400000}, {Currency: "USD", Minor: 100000}} {
			d := &supply.Donation{ID: fmt.Sprintf("d%d", i), Donor: supply.Donor{DisplayName: "Donor"}, Kind: supply.MoneyDonation,
				Amount: amount, Channel: supply.BankTransfer, ReceiveTime: testNow.Add(time.Duration(i-5) * time.Hour)}
			if err := d.PrepareNew(testNow, supply.NewViolations("")); err != nil {
				t.Fatal(err)
			}
			if _, err := db.CreateDonation(ctx, d, testOp); err != nil {
				t.Fatal(err)
			}
			donations = append(donations, d)
		}
		const price = 100000
		won := race(t, handles, 20, supply.FailedPrecondition, func(db *DB, i int) error {
			p := &supply.Purchase{ID: supply.NewID(), Supplier: "Green Bazaar", Amount: supply.Money{Currency: "KZT", Minor: price},
				DepotID: "bazaar", PurchaseTime: testNow,
				Lines: []supply.GoodsLine{{Category: supply.Fruit, Description: "apples", Quantity: 5 * supply.QuantityScale, Unit: supply.Kilogram}}}
			if i%3 == 0 {
				p.FundingIDs = []string{"d1", "d0"}
			}
			if err := p.PrepareNew(testNow, supply.NewViolations("")); err != nil {
				return err
			}
			_, err := db.CreatePurchase(ctx, p, testOp)
			return err
		})
		if won != 10 {
			t.Errorf("%d purchases of KZT 1,000.00 succeeded from KZT 10,000.00, want 10", won)
		}
		for _, d := range donations {
			got, err := handles[1].GetDonation(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := d.Amount.Minor
			if d.Amount.Currency != "KZT" {
				want = 0
			}
			if got.Spent != want {
				t.Errorf("donation %s of %s spent %d, want %d", d.ID, d.Amount, got.Spent, want)
			}
		}
		if n := count(t, db, `SELECT count(*) FROM donations d WHERE amount_minor <
			(SELECT coalesce(sum(a.amount_minor), 0) FROM allocations a WHERE a.donation_id = d.id)`); n != 0 {
			t.Errorf("%d donations gave more than they hold", n)
		}
		if n := count(t, db, `SELECT count(*) FROM purchases p WHERE amount_minor !=
			(SELECT coalesce(sum(a.amount_minor), 0) FROM allocations a WHERE a.purchase_id = p.id)`); n != 0 {
			t.Errorf("%d purchases not paid in full by their allocations", n)
		}
		if n := count(t, db, "SELECT count(*) FROM lots WHERE source_purchase_id IS NOT NULL"); n != won {
			t.Errorf("%d lots stocked by purchases, want %d", n, won)
		}
	})
}
