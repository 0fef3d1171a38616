package demo

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/aqjurek/tracker/internal/auth"
	"github.com/aqjurek/tracker/internal/supply"
)

// IssueTokens replaces the demo's tokens with fresh ones, one per role and
// one for every hospital's staff and every driver, and prints them to out:
// a bearer token is shown only when it is made.
func IssueTokens(ctx context.Context, tokens auth.Store, store supply.Store, now time.Time, out io.Writer) error {
	if err := tokens.RevokeDemoTokens(ctx, now); err != nil {
		return err
	}
	type grant struct{ role, hospital, volunteer, name string }
	grants := []grant{
		{role: supply.RoleAdmin, name: "Demo admin"},
		{role: supply.RoleCoordinator, name: "Demo coordinator"},
	}
	hospitals, _, err := store.ListHospitals(ctx, supply.HospitalQuery{Page: supply.Page{Size: 100}})
	if err != nil {
		return err
	}
	for _, h := range hospitals {
		grants = append(grants, grant{role: supply.RoleStaff, hospital: h.ID, name: "Staff of " + h.DisplayName})
	}
	drivers, _, err := store.ListVolunteers(ctx, supply.VolunteerQuery{ActiveOnly: true, Page: supply.Page{Size: 100}})
	if err != nil {
		return err
	}
	for _, v := range drivers {
		grants = append(grants, grant{role: supply.RoleDriver, volunteer: v.ID, name: v.DisplayName})
	}
	if out == nil {
		out = io.Discard
	}
	fmt.Fprintln(out, "Demo tokens, new at every start with --demo. Send one as the header \"Authorization: Bearer <token>\".")
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	var coordinator string
	for _, g := range grants {
		t, bearer, err := auth.Issue(g.name, g.role, g.hospital, g.volunteer, now)
		if err != nil {
			return err
		}
		t.Demo = true
		if err := tokens.CreateToken(ctx, t); err != nil {
			return err
		}
		if g.role == supply.RoleCoordinator {
			coordinator = bearer
		}
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", g.role, t.Scope(), g.name, bearer)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "For the README's examples:\n  export TOKEN=%s\n", coordinator)
	return err
}
