package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// deadlineRecorder is a response writer that records the write
// deadlines set on it, as the HTTP server's own writer would apply them.
type deadlineRecorder struct {
	*httptest.ResponseRecorder
	deadlines []time.Time
}

func (d *deadlineRecorder) SetWriteDeadline(t time.Time) error {
	d.deadlines = append(d.deadlines, t)
	return nil
}

func TestEachWriteOfAStreamIsBoundedButNotTheWaitBetween(t *testing.T) {
	const write = time.Minute
	rec := &deadlineRecorder{ResponseRecorder: httptest.NewRecorder()}
	var during []int // deadlines set while each message was written
	deadlines(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		for range 2 { // as the gateway sends each event: the message, a newline, a flush
			w.Write([]byte(`{"result":{}}`))
			w.Write([]byte("\n"))
			during = append(during, len(rec.deadlines))
			if err := rc.Flush(); err != nil {
				t.Fatal(err)
			}
		}
	}), write).ServeHTTP(rec, httptest.NewRequest("GET", "/v1/events:watch", nil))

	// Lifted at the start; set when a message starts and lifted when it is
	// flushed, once per message.
	if len(rec.deadlines) != 5 || len(during) != 2 || during[0] != 2 || during[1] != 4 {
		t.Fatalf("deadlines %v, set by message %v", rec.deadlines, during)
	}
	for i, d := range rec.deadlines {
		bounded := i == 1 || i == 3
		if bounded != !d.IsZero() || bounded && time.Until(d) > write {
			t.Errorf("deadline %d is %v", i, d)
		}
	}
	if rec.Body.String() != "{\"result\":{}}\n{\"result\":{}}\n" {
		t.Errorf("the stream wrote %q", rec.Body.String())
	}
}
