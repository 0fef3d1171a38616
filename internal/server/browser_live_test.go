package server_test

import (
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/aqjurek/tracker/internal/server"
	"github.com/aqjurek/tracker/internal/supply"
)

// stallingProxy forwards TCP connections to a server and can stall them:
// while stalled, no byte goes either way but no connection closes, as when
// a phone's network dies without telling it.
type stallingProxy struct {
	lis     net.Listener
	target  string
	mu      sync.Mutex
	stalled bool
	resumed *sync.Cond
}

func newStallingProxy(t *testing.T, target string) *stallingProxy {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &stallingProxy{lis: lis, target: target}
	p.resumed = sync.NewCond(&p.mu)
	t.Cleanup(func() { p.stall(false); lis.Close() })
	go func() {
		for {
			client, err := lis.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", target)
			if err != nil {
				client.Close()
				continue
			}
			go p.pump(client, server)
			go p.pump(server, client)
		}
	}()
	return p
}

func (p *stallingProxy) stall(on bool) {
	p.mu.Lock()
	p.stalled = on
	p.mu.Unlock()
	p.resumed.Broadcast()
}

// pump copies from one side to the other, holding each chunk while stalled.
func (p *stallingProxy) pump(from, to net.Conn) {
	defer from.Close()
	defer to.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := from.Read(buf)
		if n > 0 {
			p.mu.Lock()
			for p.stalled {
				p.resumed.Wait()
			}
			p.mu.Unlock()
			if _, err := to.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func TestBrowserLiveBadgeNoticesASilentConnectionAndItsReturn(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *server.Config) { c.Demo, c.Now = true, wallNow })
	proxy := newStallingProxy(t, strings.TrimPrefix(s.base, "http://"))
	b := newBrowser(t, "http://"+proxy.lis.Addr().String())
	board := b.tab(1280, 900)
	b.run(board, "sign in as coordinator", signIn(s.issue(supply.RoleCoordinator, "", "")),
		chromedp.WaitVisible(`#live[data-state=live]`, chromedp.ByQuery))

	// The connection goes silent: no error, no close, just nothing. The
	// heartbeat's absence shows it within seconds.
	proxy.stall(true)
	stalled := time.Now()
	b.run(board, "notice the silent connection", chromedp.WaitVisible(`#live[data-state=offline]`, chromedp.ByQuery))
	took := time.Since(stalled)
	t.Logf("offline shown %v after the connection went silent", took)
	if took > 15*time.Second {
		t.Errorf("the badge said offline %v after the connection went silent", took)
	}
	// Meanwhile a need is filed; the board must not miss it.
	s.seed("gkb-9", "icu")
	body := s.need("hospitals/gkb-9/wards/icu")
	body["deliverBefore"] = wallNow().Add(6 * time.Hour).Format(time.RFC3339)
	need := s.mustREST(200, "POST", "/v1/deliveryRequests", body)["name"].(string)
	b.screenshot(board, "live-offline")

	// The connection comes back: the badge says live at once, and the need
	// filed meanwhile is on the board.
	time.Sleep(2 * time.Second)
	proxy.stall(false)
	back := time.Now()
	b.run(board, "notice the connection is back", chromedp.WaitVisible(`#live[data-state=live]`, chromedp.ByQuery))
	took = time.Since(back)
	t.Logf("live shown %v after the connection came back", took)
	if took > 10*time.Second {
		t.Errorf("the badge said live %v after the connection came back", took)
	}
	b.run(board, "see the need filed while offline",
		chromedp.WaitVisible(`li.need[data-name="`+need+`"]`, chromedp.ByQuery))
}
