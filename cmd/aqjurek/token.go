package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aqjurek/tracker/internal/auth"
	"github.com/aqjurek/tracker/internal/store"
	"github.com/aqjurek/tracker/internal/supply"
)

// token manages bearer tokens on the database directly: whoever runs it
// can read the database file, so it needs no token itself.
func token(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("token needs a command: create, list or revoke")
	}
	fs := newFlagSet("token "+args[0], stderr)
	dbPath := fs.String("db", "aqjurek.db", dbHelp)
	var role, hospital, volunteer, name string
	switch args[0] {
	case "create":
		fs.StringVar(&role, "role", "", "admin, coordinator, staff or driver")
		fs.StringVar(&hospital, "hospital", "", "for staff: their hospital, hospitals/{hospital}")
		fs.StringVar(&volunteer, "volunteer", "", "for a driver: their volunteer, volunteers/{volunteer}")
		fs.StringVar(&name, "name", "", `who the token is for, e.g. "Aigerim S., ICU"`)
	case "list":
	case "revoke":
		// The id may stand before or after --db: it is the one argument
		// that is neither a flag nor a flag's value.
		var rest []string
		for i := 1; i < len(args); i++ {
			switch {
			case args[i] == "--db" || args[i] == "-db":
				rest = append(rest, args[i])
				if i+1 < len(args) {
					i++
					rest = append(rest, args[i])
				}
			case strings.HasPrefix(args[i], "-") || name != "":
				rest = append(rest, args[i])
			default:
				name = args[i]
			}
		}
		if name == "" {
			return errors.New("token revoke needs the token's id (see token list)")
		}
		args = append([]string{args[0]}, rest...)
	default:
		return fmt.Errorf("unknown token command %q: use create, list or revoke", args[0])
	}
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	var hospitalID, volunteerID string
	if hospital != "" {
		if err := supply.ParseName("--hospital", hospital, supply.HospitalPattern, &hospitalID); err != nil {
			return err
		}
	}
	if volunteer != "" {
		if err := supply.ParseName("--volunteer", volunteer, supply.VolunteerPattern, &volunteerID); err != nil {
			return err
		}
	}
	db, err := store.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	now := time.Now()
	switch args[0] {
	case "create":
		t, bearer, err := auth.Issue(name, role, hospitalID, volunteerID, now)
		if err != nil {
			return err
		}
		if err := db.CreateToken(ctx, t); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "Token %s for %q (%s). It is shown only now; keep it secret:\n", t.ID, t.Name, t.Role)
		_, err = fmt.Fprintln(stdout, bearer)
		return err
	case "list":
		tokens, err := db.ListTokens(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tROLE\tSCOPE\tNAME\tCREATED\tLAST USED\tREVOKED")
		for _, t := range tokens {
			scope := cmp.Or(t.Scope(), "-")
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Role, scope, t.Name, when(t.CreateTime), when(t.LastUsed), when(t.RevokeTime))
		}
		return w.Flush()
	default:
		if err := db.RevokeToken(ctx, name, now); err != nil {
			return err
		}
		_, err := fmt.Fprintf(stdout, "token %s revoked\n", name)
		return err
	}
}

func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04")
}
