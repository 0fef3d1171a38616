package server

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"google.golang.org/grpc/grpclog"
)

// jsonLines decodes every line of logs, failing the test on one that is
// not JSON, and returns their messages.
func jsonLines(t *testing.T, logs string) []string {
	t.Helper()
	var messages []string
	for line := range strings.Lines(logs) {
		var entry struct{ Msg string }
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Errorf("log line is not JSON: %q", line)
		}
		messages = append(messages, entry.Msg)
	}
	return messages
}

func TestGRPCLogsAreJSON(t *testing.T) {
	var logs bytes.Buffer
	logGRPC(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	grpclog.Error("transport: a connection failed")
	grpclog.Infof("channel %d is ready", 7)
	got := jsonLines(t, logs.String())
	if strings.Join(got, "|") != "transport: a connection failed|channel 7 is ready" {
		t.Errorf("gRPC's log lines came out as %q", got)
	}
}
