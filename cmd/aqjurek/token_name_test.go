package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// A token's name is shown as the actor of every event it makes, so it may
// not pose as another's either.
func TestATokenNameHidesNothing(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "tokens.db")
	for _, name := range []string{"Dana K.\u202e", "Da\u200bna K.", "\u2066Dana\u2069"} {
		var out bytes.Buffer
		err := realMain(ctx, []string{"token", "create", "--db", dbPath, "--role", "coordinator", "--name", name}, &out, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), "invisible or direction-changing") {
			t.Errorf("token named %q: %q %v", name, out.String(), err)
		}
	}
	var out bytes.Buffer
	if err := realMain(ctx, []string{"token", "create", "--db", dbPath, "--role", "coordinator", "--name", "Дана К., түнгі ауысым"}, &out, &bytes.Buffer{}); err != nil ||
		!strings.HasPrefix(out.String(), "aqj_") {
		t.Errorf("a plain Kazakh name: %q %v", out.String(), err)
	}
}
