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
		if _, err := createDonation(ctx, db, d, testOp); err != nil {
			t.Fatal(err)
		}
		lots, _, err := db.ListLots(ctx, supply.LotQuery{DepotID: "bazaar", Page: supply.Page{Size: 10}})
		if err != nil || len(lots) != 1 {
			t.Fatalf("lots = %v, %v; want one", lots, err)
		}
		lot := lots[0]
		won := race(t, handles, 2*kilograms, supply.FailedPrecondition, func(db *DB, i int) error {
			_, err := writeOffLot(ctx, db, "bazaar", lot.ID, supply.QuantityScale, fmt.Sprintf("bruised, crate %d", i), testOp)
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
			if _, err := createDonation(ctx, db, d, testOp); err != nil {
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
			_, err := createPurchase(ctx, db, p, testOp)
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

// TestGiftsTraceToTheWardAndReportsAddUp follows gifts through the ledger
// on each engine: a goods donation and a purchase paid from a money
// donation stock a depot, a run takes 25 kg from the lots (the purchase's,
// which spoils first, before the gift's) and hands them over at a ward, a
// kilogram spoils. The trace of each donation, the donors of the stop, the
// period's report and the public page must all tell that story.
func TestGiftsTraceToTheWardAndReportsAddUp(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn)
		ctx := context.Background()
		seedWard(t, db, "gkb-7", "icu")
		seedDepotAndDriver(t, db)
		kg := func(n int64) supply.Quantity { return supply.Quantity(n * supply.QuantityScale) }
		apples := func(n int64, bestBefore time.Time) []supply.GoodsLine {
			return []supply.GoodsLine{{Category: supply.Fruit, Description: "apples", Quantity: kg(n), Unit: supply.Kilogram, BestBefore: bestBefore}}
		}
		money := &supply.Donation{ID: "d-money", Donor: supply.Donor{DisplayName: "Aigerim S.", PublicNaming: true}, Kind: supply.MoneyDonation,
			Amount: supply.Money{Currency: "KZT", Minor: 5000000}, Channel: supply.KaspiGold, ReceiveTime: testNow.Add(-2 * time.Hour)}
		goods := &supply.Donation{ID: "d-goods", Donor: supply.Donor{DisplayName: "Green Bazaar"}, Kind: supply.GoodsDonation,
			DepotID: "bazaar", Lines: apples(20, time.Date(2026, 4, 20, 0, 0, 0, 0, time.UTC)), ReceiveTime: testNow.Add(-time.Hour)}
		for _, d := range []*supply.Donation{money, goods} {
			if err := d.PrepareNew(testNow, supply.NewViolations("")); err != nil {
				t.Fatal(err)
			}
			if _, err := createDonation(ctx, db, d, testOp); err != nil {
				t.Fatal(err)
			}
		}
		p := &supply.Purchase{ID: "p1", Supplier: "Zelyony bazaar", Amount: supply.Money{Currency: "KZT", Minor: 2000000}, DepotID: "bazaar",
			PurchaseTime: testNow.Add(-30 * time.Minute), Lines: apples(10, time.Date(2026, 4, 10, 0, 0, 0, 0, time.UTC))}
		if err := p.PrepareNew(testNow, supply.NewViolations("")); err != nil {
			t.Fatal(err)
		}
		if _, err := createPurchase(ctx, db, p, testOp); err != nil {
			t.Fatal(err)
		}
		r := newRequest("gkb-7", "icu", supply.Urgent, 6*time.Hour)
		r.Lines[0].Quantity, r.Headcount = kg(25), 30
		if _, err := createRequest(ctx, db, r, testOp); err != nil {
			t.Fatal(err)
		}
		createRun(t, db)
		for _, step := range []struct {
			kind supply.EventKind
			do   func(w *supply.RunWork) error
		}{
			{supply.EventAssigned, func(w *supply.RunWork) error { return w.Assign([]string{r.ID}, false) }},
			{supply.EventDispatched, (*supply.RunWork).Dispatch},
			{supply.EventStarted, (*supply.RunWork).Start},
			{supply.EventDelivered, func(w *supply.RunWork) error {
				return w.Deliver(w.Run.Stops[0].ID, "Nurse", []supply.DeliveredLine{{RequestID: r.ID, Line: 0, Quantity: kg(25)}}, "")
			}},
		} {
			if _, err := changeRun(ctx, db, "r1", testOp, step.kind, step.do); err != nil {
				t.Fatal(err)
			}
		}
		gift, err := db.TraceDonation(ctx, "d-goods")
		if err != nil {
			t.Fatal(err)
		}
		if len(gift.Lots) != 1 {
			t.Fatalf("the gift stocked %d lots, want 1", len(gift.Lots))
		}
		if _, err := writeOffLot(ctx, db, "bazaar", gift.Lots[0].ID, kg(1), "bruised", testOp); err != nil {
			t.Fatal(err)
		}

		// The purchase's apples spoil first, so the run took all 10 kg of
		// them and 15 of the gift's.
		dropped := func(tr *supply.Trace) (q supply.Quantity) {
			for _, d := range tr.Drops {
				if d.RunID != "r1" || d.RequestID != r.ID || d.HospitalID != "gkb-7" || d.WardID != "icu" || !d.DeliverTime.Equal(testNow) {
					t.Errorf("drop %+v is not the run's at the ICU", d)
				}
				q += d.Quantity
			}
			return q
		}
		if got := dropped(gift); got != kg(15) || gift.Lots[0].Taken != kg(15) {
			t.Errorf("the gift's trace drops %d and its lot gave %d, want %d", got, gift.Lots[0].Taken, kg(15))
		}
		paid, err := db.TraceDonation(ctx, "d-money")
		if err != nil {
			t.Fatal(err)
		}
		if len(paid.Purchases) != 1 || paid.Purchases[0].PurchaseID != "p1" || paid.Purchases[0].Paid.Minor != 2000000 || paid.Donation.Spent != 2000000 {
			t.Errorf("the money's trace: purchases %+v, spent %d; want p1 paid KZT 20,000.00 in full", paid.Purchases, paid.Donation.Spent)
		}
		if got := dropped(paid); got != kg(10) || len(paid.Lots) != 1 || paid.Lots[0].PurchaseID != "p1" {
			t.Errorf("the money's trace drops %d from lots %+v, want %d from the purchase's", got, paid.Lots, kg(10))
		}
		donors, err := db.StopDonors(ctx, []string{"r1"})
		if err != nil {
			t.Fatal(err)
		}
		var gave []string
		for _, d := range donors {
			gave = append(gave, d.DonationID+" "+d.Donor.DisplayName)
		}
		if want := []string{"d-money Aigerim S.", "d-goods Green Bazaar"}; fmt.Sprint(gave) != fmt.Sprint(want) {
			t.Errorf("the stop's donors are %v, want %v (the lot taken first first)", gave, want)
		}

		report, err := db.Report(ctx, testNow.Add(-24*time.Hour), testNow.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(report.Money) != 1 || report.Money[0] != (supply.MoneyFigures{Currency: "KZT", Received: 5000000, Spent: 2000000, Left: 3000000, Donations: 1, Purchases: 1}) {
			t.Errorf("report's money: %+v", report.Money)
		}
		want := supply.StockFigures{DepotID: "bazaar", DepotName: "Bazaar", Category: supply.Fruit, Unit: supply.Kilogram,
			Received: kg(30), Taken: kg(25), WrittenOff: kg(1), OnHand: kg(4)}
		if len(report.Stock) != 1 || report.Stock[0] != want {
			t.Errorf("report's stock: %+v, want %+v", report.Stock, want)
		}
		if len(report.Lines) != 1 || report.Lines[0].Quantity != kg(25) || report.Lines[0].Headcount != 30 || report.Lines[0].HospitalName != "Hospital gkb-7" {
			t.Errorf("report's lines handed over: %+v", report.Lines)
		}
		if len(report.WrittenOff) != 1 || report.WrittenOff[0].Quantity != kg(1) || report.WrittenOff[0].Reason != "bruised" {
			t.Errorf("report's write-offs: %+v", report.WrittenOff)
		}
		public, err := db.Public(ctx, testNow.Add(-24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if public.Drops != 1 || public.Headcount != 30 || fmt.Sprint(public.Hospitals) != "[Hospital gkb-7]" || len(public.Donors) != 2 ||
			len(public.Delivered) != 1 || public.Delivered[0].Quantity != kg(25) {
			t.Errorf("public page: %+v", public)
		}
	})
}
