package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/aqjurek/tracker/internal/auth"
	"github.com/aqjurek/tracker/internal/store/storetest"
	"github.com/aqjurek/tracker/internal/supply"
)

// TestRequestIDReplaysCreateAndUpdate: a create or an update retried with
// its request id returns what the first call made and changes nothing; the
// same id with another body is refused naming request_id; another caller's
// same id is theirs alone.
func TestRequestIDReplaysCreateAndUpdate(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn)
		ctx := context.Background()
		op := testOp
		op.Method, op.RequestID, op.Fingerprint = "CreateHospital", "6b1c9a2e-0000-4000-8000-000000000001", []byte("gkb-7")
		first, err := db.CreateHospital(ctx, &supply.Hospital{ID: "gkb-7", DisplayName: "ГКБ №7"}, op)
		if err != nil {
			t.Fatal(err)
		}
		events := count(t, db, "SELECT count(*) FROM events")
		db.Now = func() time.Time { return testNow.Add(time.Minute) }
		again, err := db.CreateHospital(ctx, &supply.Hospital{ID: "gkb-7", DisplayName: "ГКБ №7"}, op)
		if err != nil {
			t.Fatalf("retried create: %v", err)
		}
		if diff := cmp.Diff(first, again); diff != "" {
			t.Errorf("a retried create returned another hospital (-first +retry):\n%s", diff)
		}
		changed := op
		changed.Fingerprint = []byte("gkb-8")
		_, err = db.CreateHospital(ctx, &supply.Hospital{ID: "gkb-8", DisplayName: "ГКБ №8"}, changed)
		if !invalidField(err, "request_id") {
			t.Errorf("request id reused with another body: got %#v, want Invalid naming request_id", err)
		}
		other := op
		other.Actor = supply.Actor{Name: "Dana K.", Role: "coordinator", TokenID: "tok-2"}
		other.Fingerprint = []byte("gkb-9")
		if _, err := db.CreateHospital(ctx, &supply.Hospital{ID: "gkb-9", DisplayName: "ГКБ №9"}, other); err != nil {
			t.Errorf("another caller's request with the same id: %v", err)
		}

		update := testOp
		update.Method, update.RequestID, update.Fingerprint = "UpdateHospital", "6b1c9a2e-0000-4000-8000-000000000002", []byte("rename")
		rename := func(h *supply.Hospital) error { h.DisplayName += " (центр)"; return nil }
		renamed, err := updateHospital(ctx, db, "gkb-7", first.Etag, update, rename)
		if err != nil {
			t.Fatal(err)
		}
		// The retry's etag is stale by now: a replay answers before it is checked.
		replayed, err := updateHospital(ctx, db, "gkb-7", first.Etag, update, rename)
		if err != nil {
			t.Fatalf("retried update: %v", err)
		}
		if diff := cmp.Diff(renamed, replayed); diff != "" {
			t.Errorf("a retried update changed the hospital again (-first +retry):\n%s", diff)
		}
		if n := count(t, db, "SELECT count(*) FROM events"); n != events+2 {
			t.Errorf("%d events after a create, its retry, a refusal, another's create, an update and its retry; want %d", n, events+2)
		}
		if n := count(t, db, "SELECT count(*) FROM hospitals"); n != 2 {
			t.Errorf("%d hospitals, want 2", n)
		}
	})
}

// invalidField reports whether err is Invalid, naming field alone.
func invalidField(err error, field string) bool {
	var de *supply.Error
	return errors.As(err, &de) && de.Code == supply.Invalid && len(de.Violations) == 1 && de.Violations[0].Field == field
}

// TestEtagDecidesBetweenRacingChanges sends changes carrying the same etag
// through two handles at once: exactly one wins, the others are told the
// resource changed (Aborted), and a delete with a stale etag deletes nothing.
func TestEtagDecidesBetweenRacingChanges(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		handles := []*DB{openDB(t, dsn), openDB(t, dsn)}
		ctx := context.Background()
		seedWard(t, handles[0], "gkb-7", "icu")
		h, err := handles[1].GetHospital(ctx, "gkb-7")
		if err != nil {
			t.Fatal(err)
		}
		const racers = 12
		var wg sync.WaitGroup
		results := make([]error, racers)
		for i := range racers {
			wg.Go(func() {
				_, results[i] = updateHospital(ctx, handles[i%2], "gkb-7", h.Etag, testOp, func(h *supply.Hospital) error {
					h.Phone = fmt.Sprintf("+7 701 000 00 %02d", i)
					return nil
				})
			})
		}
		wg.Wait()
		won := -1
		for i, err := range results {
			switch {
			case err == nil && won >= 0:
				t.Errorf("racers %d and %d both won with etag %s", won, i, h.Etag)
			case err == nil:
				won = i
			case codeOf(err) != supply.Aborted:
				t.Errorf("racer %d: %v, want Aborted", i, err)
			}
		}
		if won < 0 {
			t.Fatal("no racer won")
		}
		stored, err := handles[0].GetHospital(ctx, "gkb-7")
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("+7 701 000 00 %02d", won); stored.Phone != want {
			t.Errorf("phone %q, want the winner's %q", stored.Phone, want)
		}
		if n := count(t, handles[0], "SELECT count(*) FROM events WHERE kind = 'UPDATED'"); n != 1 {
			t.Errorf("%d update events, want the winner's alone", n)
		}
		if err := deleteHospital(ctx, handles[1], "gkb-1", "", testOp); codeOf(err) != supply.NotFound {
			t.Errorf("delete of a hospital that never was: %v, want NotFound", err)
		}
		seedWard(t, handles[0], "gkb-1", "er")
		w, err := handles[0].GetWard(ctx, "gkb-1", "er")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := updateWard(ctx, handles[0], "gkb-1", "er", w.Etag, testOp, func(w *supply.Ward) error {
			w.StaffOnShift = 4
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := deleteWard(ctx, handles[1], "gkb-1", "er", w.Etag, testOp); codeOf(err) != supply.Aborted {
			t.Errorf("delete with a stale etag: %v, want Aborted", err)
		}
		if _, err := handles[0].GetWard(ctx, "gkb-1", "er"); err != nil {
			t.Errorf("a refused delete removed the ward: %v", err)
		}
	})
}

// TestTokens: a token reads back as made, a token for a hospital that does
// not exist is refused, and RevokedTokens names among known, revoked and
// unknown ids exactly the revoked and unknown ones, in the order asked.
func TestTokens(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn)
		ctx := context.Background()
		seedWard(t, db, "gkb-7", "icu")
		made := []*auth.Token{
			{ID: "tok-staff", Name: "Nurse Aigul", Role: "staff", HospitalID: "gkb-7", SecretHash: []byte{0, 1, 2, 0xff}, CreateTime: testNow},
			{ID: "tok-admin", Name: "Admin", Role: "admin", Demo: true, SecretHash: bytes.Repeat([]byte{7}, 32), CreateTime: testNow.Add(time.Second)},
			{ID: "tok-coord", Name: "Coordinator", Role: "coordinator", SecretHash: []byte("h"), CreateTime: testNow.Add(2 * time.Second)},
		}
		for _, tok := range made {
			if err := db.CreateToken(ctx, tok); err != nil {
				t.Fatal(err)
			}
		}
		err := db.CreateToken(ctx, &auth.Token{ID: "tok-x", Name: "x", Role: "staff", HospitalID: "gkb-404", SecretHash: []byte("h"), CreateTime: testNow})
		if !invalidField(err, "hospital") {
			t.Errorf("token for a missing hospital: %#v, want Invalid naming hospital", err)
		}
		for _, tok := range made {
			got, err := db.GetToken(ctx, tok.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tok, got); diff != "" {
				t.Errorf("token %s (-made +read):\n%s", tok.ID, diff)
			}
		}
		if _, err := db.GetToken(ctx, "tok-none"); codeOf(err) != supply.NotFound {
			t.Errorf("unknown token: %v, want NotFound", err)
		}
		revokedAt := testNow.Add(time.Hour)
		if err := db.RevokeToken(ctx, "tok-coord", revokedAt); err != nil {
			t.Fatal(err)
		}
		// Revoking again keeps the first time.
		if err := db.RevokeToken(ctx, "tok-coord", revokedAt.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeToken(ctx, "tok-none", revokedAt); codeOf(err) != supply.NotFound {
			t.Errorf("revoke an unknown token: %v, want NotFound", err)
		}
		if got, err := db.GetToken(ctx, "tok-coord"); err != nil || !got.RevokeTime.Equal(revokedAt) {
			t.Errorf("revoked token: %+v, %v; want revoked at %v", got, err, revokedAt)
		}
		revoked, err := db.RevokedTokens(ctx, []string{"tok-staff", "tok-none", "tok-coord", "tok-admin"})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"tok-none", "tok-coord"}, revoked); diff != "" {
			t.Errorf("RevokedTokens (-want +got):\n%s", diff)
		}
		if err := db.RevokeDemoTokens(ctx, revokedAt); err != nil {
			t.Fatal(err)
		}
		if err := db.TouchToken(ctx, "tok-staff", revokedAt); err != nil {
			t.Fatal(err)
		}
		tokens, err := db.ListTokens(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var listed []string
		for _, tok := range tokens {
			listed = append(listed, fmt.Sprintf("%s revoked=%v used=%v", tok.ID, !tok.RevokeTime.IsZero(), tok.LastUsed.Equal(revokedAt)))
		}
		want := []string{"tok-staff revoked=false used=true", "tok-admin revoked=true used=false", "tok-coord revoked=true used=false"}
		if diff := cmp.Diff(want, listed); diff != "" {
			t.Errorf("tokens after revoking the demo ones and using the staff one (-want +got):\n%s", diff)
		}
		if n := count(t, db, "SELECT count(*) FROM events"); n != 2 {
			t.Errorf("%d events, want only the hospital's and the ward's: tokens are not logged", n)
		}
	})
}

// TestDeleteOfAResourceInUseIsRefused deletes a volunteer and a depot a
// run refers to: each engine's foreign key refuses, and the store must
// turn both refusals into the same answer, saying what to do instead,
// with nothing deleted and nothing logged; the rest of the writer's group
// is stored.
func TestDeleteOfAResourceInUseIsRefused(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn)
		ctx := context.Background()
		seedDepotAndDriver(t, db)
		createRun(t, db)
		events := count(t, db, "SELECT count(*) FROM events")
		var wg sync.WaitGroup
		var volunteerErr, depotErr, hospitalErr error
		// The domain refuses these first (supply.DeleteDepot counts the
		// runs); the engine's own refusal is what is tested here.
		wg.Go(func() {
			volunteerErr = db.Update(ctx, testOp, func(tx supply.Tx) error {
				v, err := tx.Volunteer("d")
				if err != nil {
					return err
				}
				return tx.DeleteVolunteer(v)
			})
		})
		wg.Go(func() {
			depotErr = db.Update(ctx, testOp, func(tx supply.Tx) error {
				d, err := tx.Depot("bazaar")
				if err != nil {
					return err
				}
				return tx.DeleteDepot(d)
			})
		})
		wg.Go(func() {
			_, hospitalErr = db.CreateHospital(ctx, &supply.Hospital{ID: "gkb-7", DisplayName: "ГКБ №7"}, testOp)
		})
		wg.Wait()
		for _, c := range []struct {
			err  error
			want string
		}{
			{volunteerErr, "volunteers/d is still in use and cannot be deleted; set active to false instead"},
			{depotErr, "depots/bazaar is still in use and cannot be deleted; archive it instead"},
		} {
			if codeOf(c.err) != supply.FailedPrecondition || c.err.Error() != c.want {
				t.Errorf("delete in use: %v, want FailedPrecondition %q", c.err, c.want)
			}
		}
		if hospitalErr != nil {
			t.Errorf("a change beside the refused deletes: %v", hospitalErr)
		}
		if _, err := db.GetVolunteer(ctx, "d"); err != nil {
			t.Errorf("the refused delete removed the volunteer: %v", err)
		}
		if _, err := db.GetDepot(ctx, "bazaar"); err != nil {
			t.Errorf("the refused delete removed the depot: %v", err)
		}
		if n := count(t, db, "SELECT count(*) FROM events"); n != events+1 {
			t.Errorf("%d events after two refused deletes and a create, want %d", n, events+1)
		}
	})
}
