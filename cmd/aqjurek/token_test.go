package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aqjurek/tracker/internal/auth"
	"github.com/aqjurek/tracker/internal/store"
	"github.com/aqjurek/tracker/internal/supply"
)

func TestTokenCommands(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "tokens.db")
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateHospital(ctx, &supply.Hospital{ID: "gkb-7", DisplayName: "ГКБ №7"}, supply.Op{Actor: supply.Anonymous}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := realMain(ctx, append([]string{"token"}, append(args, "--db", dbPath)...), &out, &bytes.Buffer{})
		return out.String(), err
	}

	bearer, err := run("create", "--role", "staff", "--hospital", "hospitals/gkb-7", "--name", "Aigerim S., ICU")
	if err != nil || !strings.HasPrefix(bearer, "aqj_") {
		t.Fatalf("create: %q %v", bearer, err)
	}
	bearer = strings.TrimSpace(bearer)
	db, _ = store.Open(ctx, dbPath)
	token, err := auth.Verify(ctx, db, bearer)
	db.Close()
	if err != nil || token.Role != "staff" || token.HospitalID != "gkb-7" || token.Name != "Aigerim S., ICU" {
		t.Fatalf("the printed token does not verify: %+v %v", token, err)
	}

	list, err := run("list")
	if err != nil || !strings.Contains(list, token.ID) || !strings.Contains(list, "hospitals/gkb-7") || strings.Contains(list, bearer) {
		t.Errorf("list (must not show the secret):\n%s %v", list, err)
	}
	var out bytes.Buffer
	if err := realMain(ctx, []string{"token", "revoke", "--db", dbPath, token.ID}, &out, &bytes.Buffer{}); err != nil ||
		!strings.Contains(out.String(), "revoked") {
		t.Errorf("revoke with the id last: %q %v", out.String(), err)
	}
	if out, err := run("revoke", token.ID); err != nil || !strings.Contains(out, "revoked") {
		t.Errorf("revoke again, with the id first: %q %v", out, err)
	}
	db, _ = store.Open(ctx, dbPath)
	if _, err := auth.Verify(ctx, db, bearer); err == nil {
		t.Error("a revoked token still verifies")
	}
	db.Close()

	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"create", "--role", "staff", "--name", "x"}, "needs --hospital"},
		{[]string{"create", "--role", "driver", "--name", "x"}, "needs --volunteer"},
		{[]string{"create", "--role", "chef", "--name", "x"}, "role must be one of"},
		{[]string{"create", "--role", "coordinator"}, "name"},
		{[]string{"create", "--role", "staff", "--hospital", "hospitals/nope", "--name", "x"}, "does not exist"},
		{[]string{"create", "--role", "staff", "--hospital", "gkb-7", "--name", "x"}, "--hospital must be a resource name"},
		{[]string{"revoke", "zzzz"}, "not found"},
		{[]string{"revoke"}, "needs the token's id"},
		{[]string{"rotate"}, "unknown token command"},
	} {
		if _, err := run(tc.args...); err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("token %v: %v, want %q", tc.args, err, tc.says)
		}
	}
}
