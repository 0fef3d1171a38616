package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestServeWritesOnlyJSONToStderr(t *testing.T) {
	var stderr bytes.Buffer
	args := []string{"serve", "--db", filepath.Join(t.TempDir(), "a.db"), "--grpc-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0", "--rate-limit", "0.4"}
	err := realMain(context.Background(), args, &bytes.Buffer{}, &stderr)
	if err == nil || !strings.Contains(err.Error(), "--rate-limit") {
		t.Fatalf("serve --rate-limit 0.4 = %v, want it refused", err)
	}
	if !errors.As(err, new(logged)) {
		t.Errorf("the error is not marked as logged, so main prints it again as plain text")
	}
	found := false
	for line := range strings.Lines(stderr.String()) {
		var entry struct{ Level, Msg, Error string }
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Errorf("stderr line is not JSON: %q", line)
		}
		found = found || entry.Level == "ERROR" && strings.Contains(entry.Error, "--rate-limit")
	}
	if !found {
		t.Errorf("stderr has no JSON error naming --rate-limit:\n%s", stderr.String())
	}
}
