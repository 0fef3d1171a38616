package supply_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/aqjurek/tracker/internal/store"
	"github.com/aqjurek/tracker/internal/store/storetest"
	"github.com/aqjurek/tracker/internal/supply"
)

// These tests run the rules that span resources against a real store on
// both engines, through Update and the Tx, as the API calls them.

var now = time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC)

var (
	coordinator = supply.Actor{Name: "Coordinator", Role: supply.RoleCoordinator, TokenID: "c"}
	staff1      = supply.Actor{Name: "Nurse of h1", Role: supply.RoleStaff, HospitalID: "h1", TokenID: "s1"}
	driver1     = supply.Actor{Name: "Driver d1", Role: supply.RoleDriver, VolunteerID: "d1", TokenID: "d1"}
)

func opOf(a supply.Actor) supply.Op { return supply.Op{Actor: a, Method: "Test", Time: now} }

// world is a store with hospitals h1 and h2, each with ward "icu", depot
// "bazaar", and active volunteers d1 and d2.
func world(t *testing.T, dsn string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	op := opOf(coordinator)
	for _, h := range []string{"h1", "h2"} {
		if _, err := db.CreateHospital(ctx, &supply.Hospital{ID: h, DisplayName: "Hospital " + h}, op); err != nil {
			t.Fatal(err)
		}
		update(t, db, coordinator, func(tx supply.Tx) error {
			_, err := supply.CreateWard(tx, &supply.Ward{HospitalID: h, ID: "icu", DisplayName: "ICU"})
			return err
		})
	}
	if _, err := db.CreateDepot(ctx, &supply.Depot{ID: "bazaar", DisplayName: "Bazaar"}, op); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"d1", "d2"} {
		if _, err := db.CreateVolunteer(ctx, &supply.Volunteer{ID: v, DisplayName: "Driver " + v, CapacityKG: 500, Active: true}, op); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// update runs fn as one change of actor a, failing the test on an error.
func update(t *testing.T, db *store.DB, a supply.Actor, fn func(tx supply.Tx) error) {
	t.Helper()
	if err := db.Update(context.Background(), opOf(a), fn); err != nil {
		t.Fatal(err)
	}
}

// file files a request of 10 kg of apples for the icu of hospital h.
func file(t *testing.T, db *store.DB, h string) *supply.DeliveryRequest {
	t.Helper()
	r := &supply.DeliveryRequest{ID: supply.NewID(), HospitalID: h, WardID: "icu", Priority: supply.Urgent,
		Lines:         []supply.LineItem{{Category: supply.Fruit, Description: "apples", Quantity: 10 * supply.QuantityScale, Unit: supply.Kilogram}},
		DeliverBefore: now.Add(6 * time.Hour)}
	if err := r.PrepareNew(now, supply.NewViolations("delivery_request")); err != nil {
		t.Fatal(err)
	}
	update(t, db, coordinator, func(tx supply.Tx) (err error) {
		r, err = supply.CreateDeliveryRequest(tx, r)
		return err
	})
	return r
}

// planRun creates run id of volunteer v from the bazaar, carrying the
// requests.
func planRun(t *testing.T, db *store.DB, id, v string, requests ...*supply.DeliveryRequest) *supply.Run {
	t.Helper()
	r := &supply.Run{ID: id, VolunteerID: v, DepotID: "bazaar", PlannedStartTime: now.Add(time.Hour)}
	if err := r.PrepareNew(now, supply.NewViolations("run")); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(requests))
	for i, q := range requests {
		ids[i] = q.ID
	}
	update(t, db, coordinator, func(tx supply.Tx) error {
		if _, err := supply.CreateRun(tx, r); err != nil || len(ids) == 0 {
			return err
		}
		var err error
		r, err = supply.ChangeRun(tx, id, "", supply.EventAssigned, func(w *supply.RunWork) error { return w.Assign(ids, false) })
		return err
	})
	return r
}

func codeOf(err error) supply.Code {
	var de *supply.Error
	if errors.As(err, &de) {
		return de.Code
	}
	return 0
}

func TestTheActorsScopeKeepsATransactionWithinReach(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := world(t, dsn)
		ctx := context.Background()
		own, other, carried := file(t, db, "h1"), file(t, db, "h2"), file(t, db, "h2")
		planRun(t, db, "r1", "d1", carried)
		planRun(t, db, "r2", "d2")

		reads := []struct {
			who   supply.Actor
			what  string
			read  func(tx supply.Tx) error
			found bool
		}{
			{staff1, "own request", func(tx supply.Tx) error { _, err := tx.DeliveryRequest(own.ID); return err }, true},
			{staff1, "other hospital's request", func(tx supply.Tx) error { _, err := tx.DeliveryRequest(other.ID); return err }, false},
			{staff1, "other hospital", func(tx supply.Tx) error { _, err := tx.Hospital("h2"); return err }, false},
			{staff1, "other hospital's ward", func(tx supply.Tx) error { _, err := tx.Ward("h2", "icu"); return err }, false},
			{staff1, "a run", func(tx supply.Tx) error { _, err := tx.Run("r1"); return err }, true},
			{driver1, "request on own run", func(tx supply.Tx) error { _, err := tx.DeliveryRequest(carried.ID); return err }, true},
			{driver1, "request on no run", func(tx supply.Tx) error { _, err := tx.DeliveryRequest(other.ID); return err }, false},
			{driver1, "own run", func(tx supply.Tx) error { _, err := tx.Run("r1"); return err }, true},
			{driver1, "other driver's run", func(tx supply.Tx) error { _, err := tx.Run("r2"); return err }, false},
			{driver1, "other volunteer", func(tx supply.Tx) error { _, err := tx.Volunteer("d2"); return err }, false},
			{driver1, "other volunteer, unscoped", func(tx supply.Tx) error { _, err := tx.Unscoped().Volunteer("d2"); return err }, true},
			{coordinator, "any request", func(tx supply.Tx) error { _, err := tx.DeliveryRequest(other.ID); return err }, true},
		}
		for _, c := range reads {
			err := db.Update(ctx, opOf(c.who), c.read)
			if found := err == nil; found != c.found || !found && codeOf(err) != supply.NotFound {
				t.Errorf("%s reading %s: got %v, want found %v (or NotFound)", c.who.Name, c.what, err, c.found)
			}
		}

		// A write of a record out of reach is refused as a read would be.
		err := db.Update(ctx, opOf(staff1), func(tx supply.Tx) error {
			r, err := tx.Unscoped().DeliveryRequest(other.ID)
			if err != nil {
				return err
			}
			next := r.Clone()
			next.Notes = "not ours"
			_, err = tx.PutDeliveryRequest(next, r)
			return err
		})
		if codeOf(err) != supply.NotFound {
			t.Errorf("staff writing another hospital's request: got %v, want NotFound", err)
		}

		// Filing for another hospital's ward is told as a ward that does not exist.
		r := &supply.DeliveryRequest{ID: supply.NewID(), HospitalID: "h2", WardID: "icu", Priority: supply.Routine,
			Lines:         []supply.LineItem{{Category: supply.Juice, Description: "juice", Quantity: supply.QuantityScale, Unit: supply.Liter}},
			DeliverBefore: now.Add(time.Hour)}
		if err := r.PrepareNew(now, supply.NewViolations("delivery_request")); err != nil {
			t.Fatal(err)
		}
		err = db.Update(ctx, opOf(staff1), func(tx supply.Tx) error { _, err := supply.CreateDeliveryRequest(tx, r); return err })
		var de *supply.Error
		if !errors.As(err, &de) || de.Code != supply.Invalid || len(de.Violations) != 1 ||
			de.Violations[0] != (supply.FieldViolation{Field: "delivery_request.ward", Description: "ward hospitals/h2/wards/icu does not exist"}) {
			t.Errorf("staff filing for another hospital: got %#v", err)
		}

		// Lists are narrowed in the store, whatever the filter asks.
		staffCtx := supply.WithActor(ctx, staff1)
		for _, q := range []supply.DeliveryRequestQuery{{}, {HospitalID: "h2"}} {
			q.Page = supply.Page{Size: 10}
			found, _, err := db.ListDeliveryRequests(staffCtx, q)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range found {
				ids = append(ids, r.ID)
			}
			want := []string{own.ID}
			if q.HospitalID == "h2" {
				want = nil
			}
			if diff := cmp.Diff(want, ids); diff != "" {
				t.Errorf("staff listing requests of %q (-want +got):\n%s", q.HospitalID, diff)
			}
		}
		events, err := db.ListEvents(staffCtx, supply.EventQuery{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(events) == 0 || slices.ContainsFunc(events, func(e *supply.Event) bool { return e.HospitalID != "h1" }) {
			t.Errorf("staff of h1 list %d events, some of other hospitals or none", len(events))
		}
		found, _, err := db.ListRuns(supply.WithActor(ctx, driver1), supply.RunQuery{Page: supply.Page{Size: 10}})
		if err != nil {
			t.Fatal(err)
		}
		if len(found) != 1 || found[0].ID != "r1" {
			t.Errorf("driver d1 lists %d runs, want r1 alone", len(found))
		}
	})
}

func TestStaffCancellingAScheduledRequestTakesItOffARunThroughOtherHospitals(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := world(t, dsn)
		ctx := context.Background()
		ours, theirs := file(t, db, "h1"), file(t, db, "h2")
		before := planRun(t, db, "r1", "d1", ours, theirs)
		if len(before.Stops) != 2 {
			t.Fatalf("run has %d stops, want 2", len(before.Stops))
		}
		var cancelled *supply.DeliveryRequest
		update(t, db, staff1, func(tx supply.Tx) (err error) {
			cancelled, err = supply.CancelDeliveryRequest(tx, ours.ID, "", "discharged")
			return err
		})
		if cancelled.State != supply.Cancelled || cancelled.RunID != "" {
			t.Errorf("cancelled request is %s on run %q", cancelled.State, cancelled.RunID)
		}
		after, err := db.GetRun(ctx, "r1")
		if err != nil {
			t.Fatal(err)
		}
		var wards []string
		for _, s := range after.Stops {
			wards = append(wards, s.WardName())
		}
		if diff := cmp.Diff([]string{"hospitals/h2/wards/icu"}, wards); diff != "" {
			t.Errorf("stops left (-want +got):\n%s", diff)
		}
		if after.LoadKG != before.LoadKG-10 {
			t.Errorf("load went from %v kg to %v kg, want 10 kg less", before.LoadKG, after.LoadKG)
		}
		events, err := db.ListEvents(ctx, supply.EventQuery{Newest: true, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		type seen struct {
			Kind     supply.EventKind
			Resource string
			Summary  string
		}
		var got []seen
		for _, e := range events {
			got = append(got, seen{e.Kind, e.Resource, e.Summary})
		}
		want := []seen{
			{supply.EventCancelled, ours.Name(), "delivery request for hospitals/h1/wards/icu cancelled: discharged"},
			{supply.EventUnassigned, "runs/r1", ours.Name() + " cancelled by the hospital and taken off the run: discharged"},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("newest events (-want +got):\n%s", diff)
		}
	})
}

func TestARunNeedsAnActiveVolunteerAndADepotInUse(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := world(t, dsn)
		ctx := context.Background()
		op := opOf(coordinator)
		update(t, db, coordinator, func(tx supply.Tx) error {
			if _, err := supply.UpdateVolunteer(tx, "d2", "", func(v *supply.Volunteer) error { v.Active = false; return nil }); err != nil {
				return err
			}
			_, err := supply.UpdateDepot(tx, "bazaar", "", func(d *supply.Depot) error { d.Archived = true; return nil })
			return err
		})
		r := &supply.Run{ID: "r1", VolunteerID: "d2", DepotID: "bazaar", PlannedStartTime: now.Add(time.Hour)}
		if err := r.PrepareNew(now, supply.NewViolations("run")); err != nil {
			t.Fatal(err)
		}
		err := db.Update(ctx, op, func(tx supply.Tx) error { _, err := supply.CreateRun(tx, r); return err })
		var de *supply.Error
		if !errors.As(err, &de) {
			t.Fatalf("got %v, want Invalid", err)
		}
		want := []supply.FieldViolation{
			{Field: "run.volunteer", Description: "volunteer volunteers/d2 is not active"},
			{Field: "run.depot", Description: "depot depots/bazaar is archived"},
		}
		if diff := cmp.Diff(want, de.Violations); de.Code != supply.Invalid || diff != "" {
			t.Errorf("code %v, violations (-want +got):\n%s", de.Code, diff)
		}
		if _, err := db.GetRun(ctx, "r1"); codeOf(err) != supply.NotFound {
			t.Errorf("refused run was stored: %v", err)
		}
	})
}

func TestWhatRequestsNameIsNotDeleted(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := world(t, dsn)
		ctx := context.Background()
		op := opOf(coordinator)
		file(t, db, "h1")
		file(t, db, "h1")
		err := db.Update(ctx, op, func(tx supply.Tx) error { return supply.DeleteWard(tx, "h1", "icu", "") })
		if codeOf(err) != supply.FailedPrecondition ||
			err.Error() != "hospitals/h1/wards/icu has 2 delivery requests and cannot be deleted; archive it instead" {
			t.Errorf("deleting a ward with requests: got %v", err)
		}
		err = db.Update(ctx, op, func(tx supply.Tx) error { return supply.DeleteHospital(tx, "h1", "") })
		if codeOf(err) != supply.FailedPrecondition ||
			err.Error() != "hospitals/h1 has 2 delivery requests and cannot be deleted; archive it instead" {
			t.Errorf("deleting a hospital with requests: got %v", err)
		}
		update(t, db, coordinator, func(tx supply.Tx) error { return supply.DeleteHospital(tx, "h2", "") })
		if _, err := db.GetWard(ctx, "h2", "icu"); codeOf(err) != supply.NotFound {
			t.Errorf("the deleted hospital's ward: got %v, want NotFound", err)
		}
		// Staff never reach another hospital to delete it, whatever the policy.
		err = db.Update(ctx, opOf(supply.Actor{Name: "Nurse of h2", Role: supply.RoleStaff, HospitalID: "h2"}),
			func(tx supply.Tx) error { return supply.DeleteHospital(tx, "h1", "") })
		if codeOf(err) != supply.NotFound {
			t.Errorf("staff deleting another hospital: got %v, want NotFound", err)
		}
	})
}

// TestWhatRunsAndStockNameIsNotDeleted: a volunteer who drove and a depot
// runs set out from, or that received goods, are made inactive or archived
// instead; the domain says how many runs and lots name them before any
// foreign key would. Those nothing names are deleted, with their event.
func TestWhatRunsAndStockNameIsNotDeleted(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := world(t, dsn)
		ctx := context.Background()
		op := opOf(coordinator)
		planRun(t, db, "r1", "d1")
		err := db.Update(ctx, op, func(tx supply.Tx) error { return supply.DeleteVolunteer(tx, "d1", "") })
		if codeOf(err) != supply.FailedPrecondition ||
			err.Error() != "volunteers/d1 has 1 runs and cannot be deleted; set active to false instead" {
			t.Errorf("deleting a volunteer who drove: got %v", err)
		}
		err = db.Update(ctx, op, func(tx supply.Tx) error { return supply.DeleteDepot(tx, "bazaar", "") })
		if codeOf(err) != supply.FailedPrecondition ||
			err.Error() != "depots/bazaar has 1 runs and 0 lots of goods and cannot be deleted; archive it instead" {
			t.Errorf("deleting a depot runs set out from: got %v", err)
		}
		for _, id := range []string{"kitchen", "empty"} {
			if _, err := db.CreateDepot(ctx, &supply.Depot{ID: id, DisplayName: "Depot " + id}, op); err != nil {
				t.Fatal(err)
			}
		}
		gift := &supply.Donation{ID: "gift", Donor: supply.Donor{DisplayName: "Café"}, Kind: supply.GoodsDonation, DepotID: "kitchen",
			ReceiveTime: now.Add(-time.Hour), Lines: []supply.GoodsLine{
				{Category: supply.Meals, Description: "plov", Quantity: 40 * supply.QuantityScale, Unit: supply.Portion},
				{Category: supply.Juice, Description: "apple juice", Quantity: 12 * supply.QuantityScale, Unit: supply.Liter}}}
		if err := gift.PrepareNew(now, supply.NewViolations("donation")); err != nil {
			t.Fatal(err)
		}
		update(t, db, coordinator, func(tx supply.Tx) error {
			_, err := supply.CreateDonation(tx, gift)
			return err
		})
		err = db.Update(ctx, op, func(tx supply.Tx) error { return supply.DeleteDepot(tx, "kitchen", "") })
		if codeOf(err) != supply.FailedPrecondition ||
			err.Error() != "depots/kitchen has 0 runs and 2 lots of goods and cannot be deleted; archive it instead" {
			t.Errorf("deleting a depot that received goods: got %v", err)
		}
		update(t, db, coordinator, func(tx supply.Tx) error { return supply.DeleteDepot(tx, "empty", "") })
		update(t, db, coordinator, func(tx supply.Tx) error { return supply.DeleteVolunteer(tx, "d2", "") })
		if _, err := db.GetDepot(ctx, "empty"); codeOf(err) != supply.NotFound {
			t.Errorf("the deleted depot: got %v, want NotFound", err)
		}
		if _, err := db.GetVolunteer(ctx, "d2"); codeOf(err) != supply.NotFound {
			t.Errorf("the deleted volunteer: got %v, want NotFound", err)
		}
		events, err := db.ListEvents(ctx, supply.EventQuery{Newest: true, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range events {
			got = append(got, string(e.Kind)+" "+e.Resource+": "+e.Summary)
		}
		want := []string{`DELETED volunteers/d2: volunteer "Driver d2" deleted`, `DELETED depots/empty: depot "Depot empty" deleted`}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("the last events (-want +got):\n%s", diff)
		}
	})
}

func TestAChangeSeesItsOwnWritesAndAFailedOneLeavesNothing(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := world(t, dsn)
		ctx := context.Background()
		r := file(t, db, "h1")
		events := func() int {
			t.Helper()
			list, err := db.ListEvents(ctx, supply.EventQuery{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			return len(list)
		}
		logged := events()

		// A revision that changes nothing writes and logs nothing.
		var same *supply.DeliveryRequest
		update(t, db, staff1, func(tx supply.Tx) (err error) {
			same, err = supply.UpdateDeliveryRequest(tx, r.ID, r.Etag, func(current *supply.DeliveryRequest, _ *supply.Violations) *supply.DeliveryRequest {
				return current
			})
			return err
		})
		if same.Etag != r.Etag || events() != logged {
			t.Errorf("an empty revision moved the etag %q to %q, or logged %d events", r.Etag, same.Etag, events()-logged)
		}

		// Reads inside the change see its writes; its failure undoes them.
		refused := errors.New("refused after writing")
		err := db.Update(ctx, opOf(coordinator), func(tx supply.Tx) error {
			_, err := supply.UpdateDeliveryRequest(tx, r.ID, "", func(current *supply.DeliveryRequest, _ *supply.Violations) *supply.DeliveryRequest {
				current.Notes = "side door"
				return current
			})
			if err != nil {
				return err
			}
			read, err := tx.DeliveryRequest(r.ID)
			if err != nil {
				return err
			}
			if read.Notes != "side door" {
				t.Errorf("a read in the change says notes %q, want the change's own", read.Notes)
			}
			return refused
		})
		if !errors.Is(err, refused) {
			t.Fatalf("got %v, want the change's own error", err)
		}
		stored, err := db.GetDeliveryRequest(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored.Notes != "" || stored.Etag != r.Etag || events() != logged {
			t.Errorf("a failed change left notes %q, etag %q, %d events", stored.Notes, stored.Etag, events()-logged)
		}

		// A retry under the same request id answers as the first call did.
		op := opOf(staff1)
		op.RequestID, op.Fingerprint = "123e4567-e89b-12d3-a456-426614174000", []byte("cancel")
		var first, again *supply.DeliveryRequest
		for _, got := range []**supply.DeliveryRequest{&first, &again} {
			if err := db.Update(ctx, op, func(tx supply.Tx) (err error) {
				*got, err = supply.CancelDeliveryRequest(tx, r.ID, "", "discharged")
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		if again.State != supply.Cancelled || again.Etag != first.Etag || !slices.Equal(again.Lines, first.Lines) {
			t.Errorf("the retry answered %s with etag %q, the first call %s with %q", again.State, again.Etag, first.State, first.Etag)
		}
	})
}
