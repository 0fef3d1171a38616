package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/aqjurek/tracker/internal/store/storetest"
	"github.com/aqjurek/tracker/internal/supply"
)

// displayNames mix case, Latin, Russian and Kazakh letters, and repeat a
// name, so that an order by display name shows any collation a database
// brings of its own: a linguistic one puts "alpha" before "Alpha" and "Ә"
// beside "А", where byte order (SQLite's BINARY) puts every capital Latin
// letter first and the Kazakh letters after all of Russian's.
var displayNames = []string{
	"alpha", "Alpha", "ALPHA", "Zhambyl", "zhambyl", "ГКБ №7", "гкб №1", "Ёлка", "Елена", "ежевика", "Ая", "Ақ",
	"Әйел", "Қала", "Ұлттық", "Үміт", "Іле", "Өскемен", "Ғылым", "Һа", "Шымкент", "шымкент", "Alpha",
}

// named is what a list by display name is ordered by.
type named struct{ name, id string }

// byteOrder sorts names as both engines must: by display name, byte by
// byte, then by id.
func byteOrder(items []named) []named {
	sorted := slices.Clone(items)
	slices.SortFunc(sorted, func(a, b named) int { return cmp.Or(cmp.Compare(a.name, b.name), cmp.Compare(a.id, b.id)) })
	return sorted
}

// TestListsByDisplayNameInByteOrder lists hospitals, wards, depots and
// volunteers a few at a time: both engines must give the same order, byte
// order, whatever collation the PostgreSQL server defaults to.
func TestListsByDisplayNameInByteOrder(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn)
		ctx := context.Background()
		var want []named
		for i, name := range displayNames {
			want = append(want, named{name, fmt.Sprintf("x-%02d", len(displayNames)-i)})
		}
		if _, err := db.CreateHospital(ctx, &supply.Hospital{ID: "gkb-7", DisplayName: "ГКБ №7"}, testOp); err != nil {
			t.Fatal(err)
		}
		for _, n := range want {
			if _, err := db.CreateHospital(ctx, &supply.Hospital{ID: n.id, DisplayName: n.name}, testOp); err != nil {
				t.Fatal(err)
			}
			if _, err := createWard(ctx, db, &supply.Ward{HospitalID: "gkb-7", ID: n.id, DisplayName: n.name}, testOp); err != nil {
				t.Fatal(err)
			}
			if _, err := db.CreateDepot(ctx, &supply.Depot{ID: n.id, DisplayName: n.name}, testOp); err != nil {
				t.Fatal(err)
			}
			if _, err := db.CreateVolunteer(ctx, &supply.Volunteer{ID: n.id, DisplayName: n.name, CapacityKG: 100, Active: true}, testOp); err != nil {
				t.Fatal(err)
			}
		}
		hospitals := byteOrder(append(want, named{"ГКБ №7", "gkb-7"}))
		for _, list := range []struct {
			what string
			want []named
			page func(supply.Page) ([]named, supply.Cursor, error)
		}{
			{"hospitals", hospitals, func(p supply.Page) ([]named, supply.Cursor, error) {
				items, next, err := db.ListHospitals(ctx, supply.HospitalQuery{Page: p})
				return names(items, func(h *supply.Hospital) named { return named{h.DisplayName, h.ID} }), next, err
			}},
			{"wards", byteOrder(want), func(p supply.Page) ([]named, supply.Cursor, error) {
				items, next, err := db.ListWards(ctx, supply.WardQuery{HospitalID: "gkb-7", Page: p})
				return names(items, func(w *supply.Ward) named { return named{w.DisplayName, w.ID} }), next, err
			}},
			{"depots", byteOrder(want), func(p supply.Page) ([]named, supply.Cursor, error) {
				items, next, err := db.ListDepots(ctx, supply.DepotQuery{Page: p})
				return names(items, func(d *supply.Depot) named { return named{d.DisplayName, d.ID} }), next, err
			}},
			{"volunteers", byteOrder(want), func(p supply.Page) ([]named, supply.Cursor, error) {
				items, next, err := db.ListVolunteers(ctx, supply.VolunteerQuery{Page: p})
				return names(items, func(v *supply.Volunteer) named { return named{v.DisplayName, v.ID} }), next, err
			}},
		} {
			got := pages(t, 4, list.page)
			if diff := gocmp.Diff(list.want, got, gocmp.AllowUnexported(named{})); diff != "" {
				t.Errorf("%s by display name (-want +got):\n%s", list.what, diff)
			}
		}
	})
}

// names maps a page of resources to what they are ordered by.
func names[T, U any](items []T, f func(T) U) []U {
	out := make([]U, len(items))
	for i, item := range items {
		out[i] = f(item)
	}
	return out
}

// pages reads a whole list, size items a page.
func pages[T any](t *testing.T, size int, page func(supply.Page) ([]T, supply.Cursor, error)) []T {
	t.Helper()
	var all []T
	p := supply.Page{Size: size}
	for range 1000 {
		items, next, err := page(p)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, items...)
		if next == nil {
			return all
		}
		p.After = next
	}
	t.Fatal("the list never ended")
	return nil
}

// TestRequestAndDonationOrders lists requests and donations in several
// orders, a few at a time, with ties on every key but the id: both engines
// must give the order the keys say, ties broken by id in the direction of
// the first key.
func TestRequestAndDonationOrders(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn)
		ctx := context.Background()
		seedWard(t, db, "gkb-7", "icu")
		priorities := []supply.Priority{supply.Routine, supply.Urgent, supply.Critical}
		var requests []*supply.DeliveryRequest
		for i := range 14 {
			// Two requests share each create time, deadlines repeat.
			db.Now = func() time.Time { return testNow.Add(time.Duration(i/2) * time.Minute) }
			r, err := createRequest(ctx, db, newRequest("gkb-7", "icu", priorities[i%3], time.Duration(i%4+1)*time.Hour), testOp)
			if err != nil {
				t.Fatal(err)
			}
			requests = append(requests, r)
		}
		type key = func(r *supply.DeliveryRequest) []int64
		for _, o := range []struct {
			order []supply.OrderField
			keys  key
			desc  []bool
		}{
			{supply.DefaultDeliveryRequestOrder, func(r *supply.DeliveryRequest) []int64 {
				return []int64{int64(r.Priority.Rank()), r.DeliverBefore.UnixMicro()}
			}, []bool{true, false}},
			{[]supply.OrderField{{Field: "priority"}}, func(r *supply.DeliveryRequest) []int64 { return []int64{int64(r.Priority.Rank())} }, []bool{false}},
			{[]supply.OrderField{{Field: "create_time"}}, func(r *supply.DeliveryRequest) []int64 { return []int64{r.CreateTime.UnixMicro()} }, []bool{false}},
			{[]supply.OrderField{{Field: "create_time", Desc: true}}, func(r *supply.DeliveryRequest) []int64 { return []int64{r.CreateTime.UnixMicro()} }, []bool{true}},
			{[]supply.OrderField{{Field: "deliver_before", Desc: true}, {Field: "priority"}}, func(r *supply.DeliveryRequest) []int64 {
				return []int64{r.DeliverBefore.UnixMicro(), int64(r.Priority.Rank())}
			}, []bool{true, false}},
		} {
			want := slices.Clone(requests)
			slices.SortFunc(want, func(a, b *supply.DeliveryRequest) int {
				ka, kb := o.keys(a), o.keys(b)
				for i := range ka {
					c := cmp.Compare(ka[i], kb[i])
					if o.desc[i] {
						c = -c
					}
					if c != 0 {
						return c
					}
				}
				// The store breaks ties by id, ascending.
				return cmp.Compare(a.ID, b.ID)
			})
			got := pages(t, 4, func(p supply.Page) ([]string, supply.Cursor, error) {
				items, next, err := db.ListDeliveryRequests(ctx, supply.DeliveryRequestQuery{Order: o.order, Now: testNow, Page: p})
				return names(items, func(r *supply.DeliveryRequest) string { return r.ID }), next, err
			})
			if diff := gocmp.Diff(names(want, func(r *supply.DeliveryRequest) string { return r.ID }), got); diff != "" {
				t.Errorf("requests by %v (-want +got):\n%s", o.order, diff)
			}
		}

		// Donations: the newest received first by default, ties broken by
		// id, newest-first too.
		db.Now = func() time.Time { return testNow }
		var donations []*supply.Donation
		for i := range 9 {
			d := &supply.Donation{ID: supply.NewID(), Donor: supply.Donor{DisplayName: displayNames[i]}, Kind: supply.MoneyDonation,
				Amount: supply.Money{Currency: "KZT", Minor: int64(1000 * (i + 1))}, Channel: supply.KaspiGold,
				ReceiveTime: testNow.Add(-time.Duration(i/3) * time.Hour)}
			if err := d.PrepareNew(testNow, supply.NewViolations("")); err != nil {
				t.Fatal(err)
			}
			if _, err := createDonation(ctx, db, d, testOp); err != nil {
				t.Fatal(err)
			}
			donations = append(donations, d)
		}
		for _, o := range []struct {
			order []supply.OrderField
			sign  int
		}{{supply.DefaultDonationOrder, -1}, {[]supply.OrderField{{Field: "receive_time"}}, 1}} {
			want := slices.Clone(donations)
			slices.SortFunc(want, func(a, b *supply.Donation) int {
				return o.sign * cmp.Or(a.ReceiveTime.Compare(b.ReceiveTime), cmp.Compare(a.ID, b.ID))
			})
			got := pages(t, 2, func(p supply.Page) ([]string, supply.Cursor, error) {
				items, next, err := db.ListDonations(ctx, supply.DonationQuery{Order: o.order, Page: p})
				return names(items, func(d *supply.Donation) string { return d.ID }), next, err
			})
			if diff := gocmp.Diff(names(want, func(d *supply.Donation) string { return d.ID }), got); diff != "" {
				t.Errorf("donations by %v (-want +got):\n%s", o.order, diff)
			}
		}
	})
}

// TestPostgresComparesTextByteByByte is PostgreSQL's: SQLite compares text
// byte by byte whatever the machine, while a PostgreSQL column compares by
// its collation, which defaults to the database's (a managed server's is
// often en_US.UTF-8, where "alpha" < "Alpha" < "Zhambyl" and "Ақ" < "Ая" <
// "Әйел"; in byte order "Alpha" < "Zhambyl" < "alpha" and "Ая" < "Ақ" <
// "Әйел"). Lists and their page cursors agree with SQLite only if every
// text column is collated "C". schema_migrations, which the store makes
// itself and never lists by text, is left out.
func TestPostgresComparesTextByteByByte(t *testing.T) {
	t.Parallel()
	db := openDB(t, storetest.DSN(t, storetest.Postgres))
	var other []string
	err := each(context.Background(), db.read, `SELECT table_name || '.' || column_name || ' ' || coalesce(collation_name, 'the default')
		FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name != 'schema_migrations' AND data_type IN ('text', 'character varying', 'character')
		AND coalesce(collation_name, '') != 'C' ORDER BY 1`, nil, func(rows *sql.Rows) error {
		var column string
		err := rows.Scan(&column)
		other = append(other, column)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range other {
		t.Errorf("text column %s is not collated \"C\": it may list in another order than SQLite", c)
	}
}

// TestLotsListInTheOrderToUseThem pages through a depot's lots one at a
// time: earliest best-before first, lots that keep last, then the oldest
// received, on both engines (the cursor holds an expression, not a column).
func TestLotsListInTheOrderToUseThem(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn)
		ctx := context.Background()
		if _, err := db.CreateDepot(ctx, &supply.Depot{ID: "bazaar", DisplayName: "Bazaar"}, testOp); err != nil {
			t.Fatal(err)
		}
		day := func(d int) time.Time { return time.Date(2026, 4, d, 0, 0, 0, 0, time.UTC) }
		for i, bestBefore := range [][]time.Time{{day(20), {}, day(9)}, {day(9), day(30), {}}} {
			d := &supply.Donation{ID: fmt.Sprintf("d%d", i), Donor: supply.Donor{DisplayName: "Donor"}, Kind: supply.GoodsDonation,
				DepotID: "bazaar", ReceiveTime: testNow.Add(time.Duration(i-2) * time.Hour)}
			for j, b := range bestBefore {
				d.Lines = append(d.Lines, supply.GoodsLine{Category: supply.Fruit, Description: fmt.Sprintf("d%d line %d", i, j),
					Quantity: supply.QuantityScale, Unit: supply.Kilogram, BestBefore: b})
			}
			if err := d.PrepareNew(testNow, supply.NewViolations("")); err != nil {
				t.Fatal(err)
			}
			if _, err := createDonation(ctx, db, d, testOp); err != nil {
				t.Fatal(err)
			}
		}
		want := []string{"d0 line 2", "d1 line 0", "d0 line 0", "d1 line 1", "d0 line 1", "d1 line 2"}
		got := pages(t, 1, func(p supply.Page) ([]string, supply.Cursor, error) {
			items, next, err := db.ListLots(ctx, supply.LotQuery{DepotID: "bazaar", Page: p})
			return names(items, func(l *supply.Lot) string { return l.Description }), next, err
		})
		if diff := gocmp.Diff(want, got); diff != "" {
			t.Errorf("lots in the order to use them (-want +got):\n%s", diff)
		}
	})
}
