package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/aqjurek/tracker/internal/server"
	"github.com/aqjurek/tracker/internal/supply"
)

// sibling opens another tab in the browser of tab, sharing its storage as
// two tabs of one person's browser do.
func (b *browser) sibling(tab context.Context, width, height int64) context.Context {
	ctx, cancel := chromedp.NewContext(tab)
	b.t.Cleanup(cancel)
	// The first run opens the tab, which lives as long as ctx.
	if err := chromedp.Run(ctx); err != nil {
		b.t.Fatalf("open a tab: %v", err)
	}
	b.run(ctx, "open another tab", chromedp.EmulateViewport(width, height), chromedp.Navigate(b.base+"/"))
	return ctx
}

// shot brings a tab to the front, where it is painted, and takes its
// screenshot.
func (b *browser) shot(tab context.Context, name string) {
	b.run(tab, "bring the tab to the front", page.BringToFront())
	b.screenshot(tab, name)
}

// pages lists the browser's tabs.
func pages(ctx context.Context) map[target.ID]bool {
	all, err := chromedp.Targets(ctx)
	if err != nil {
		panic(err)
	}
	ids := map[target.ID]bool{}
	for _, x := range all {
		if x.Type == "page" {
			ids[x.TargetID] = true
		}
	}
	return ids
}

// whoIs waits for the header to name a role and the page for that role.
func whoIs(role, page string, into *string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.WaitVisible(page, chromedp.ByQuery),
		chromedp.Poll(fmt.Sprintf(`document.querySelector('#who').textContent.includes(%q)`, role), nil, chromedp.WithPollingTimeout(10*time.Second)),
		text("#who", into),
	}
}

func TestBrowserStateEachTabKeepsItsOwnSignIn(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *server.Config) { c.Demo, c.Now = true, time.Now })
	b := newBrowser(t, s.base)
	const board, driverPage = `#needs .need`, `#driver-runs article`
	run := `article[data-name="runs/afternoon-bazaar"]`

	// The coordinator signs in in one tab; a second tab of the same
	// browser starts as the tab last used.
	coordinator := b.tab(1280, 900)
	var who string
	b.run(coordinator, "sign in as coordinator", signIn(s.issue(supply.RoleCoordinator, "", "")), whoIs("coordinator", board, &who))
	second := b.sibling(coordinator, 390, 900)
	b.run(second, "open a second tab", whoIs("coordinator", board, &who))

	// In the second tab the same person signs out and back in as a driver.
	b.run(second, "sign in as a driver in the second tab", press("#signout"),
		signIn(s.issue(supply.RoleDriver, "", "timur")), whoIs("driver", driverPage, &who))
	b.shot(second, "state16-tabs-driver-390")

	// Reloaded, each tab is still who it was.
	b.run(coordinator, "reload the coordinator's tab", chromedp.Reload(), whoIs("coordinator", board, &who),
		chromedp.WaitVisible(`#live[data-state=live]`, chromedp.ByQuery))
	b.run(second, "reload the driver's tab", chromedp.Reload(), whoIs("driver", driverPage, &who),
		chromedp.WaitVisible(`#live[data-state=live]`, chromedp.ByQuery))

	// Both keep working: the driver sets off, and the coordinator's board
	// sees it live.
	b.run(second, "start the run", press(run+` button[data-action=start]`), chromedp.WaitVisible(run+` form.deliver`, chromedp.ByQuery))
	b.run(coordinator, "see the run start", chromedp.WaitVisible(`article.run.IN_PROGRESS[data-name="runs/afternoon-bazaar"]`, chromedp.ByQuery))
	b.shot(coordinator, "state16-tabs-coordinator-1280")

	// A link opened in a new tab (ctrl+click) from the coordinator's tab
	// is the coordinator's, though the driver signed in last; one opened
	// from the driver's tab is the driver's.
	opened := func(from context.Context, role, shows string) {
		t.Helper()
		var brand []float64
		b.run(from, "find the link", page.BringToFront(), chromedp.Evaluate(`(() => { window.scrollTo(0, 0); const r = document.querySelector('.brand').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`, &brand))
		before := pages(from)
		b.run(from, "middle-click the link", chromedp.MouseClickXY(brand[0], brand[1], chromedp.ButtonType(input.Middle)))
		// A tab opened from a link without an opener (as a middle click
		// opens one) names none: it is found as the page that is new.
		var id target.ID
		for deadline := time.Now().Add(10 * time.Second); id == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			for p := range pages(from) {
				if !before[p] {
					id = p
				}
			}
		}
		if id == "" {
			t.Fatalf("a middle click on the link in the %s's tab opened no tab (at %v)", role, brand)
		}
		tab, cancel := chromedp.NewContext(from, chromedp.WithTargetID(id))
		defer cancel()
		if err := chromedp.Run(tab); err != nil {
			t.Fatalf("attach to the new tab: %v", err)
		}
		b.run(tab, "read who the new tab is", page.BringToFront(), chromedp.EmulateViewport(390, 900), whoIs(role, shows, &who))
		b.shot(tab, "state16-tabs-new-"+role)
	}
	opened(coordinator, "coordinator", board)
	opened(second, "driver", driverPage)

	// Signing out in one tab leaves the other signed in, reloads included.
	b.run(second, "sign out in the driver's tab", press("#signout"), chromedp.WaitVisible("#token", chromedp.ByQuery),
		chromedp.Reload(), chromedp.WaitVisible("#token", chromedp.ByQuery))
	b.run(coordinator, "reload the coordinator's tab", chromedp.Reload(), whoIs("coordinator", board, &who))
	if !strings.Contains(who, "coordinator") {
		t.Errorf("after the other tab signed out, the coordinator's tab says %q", who)
	}
}
