package main

// The visitors row of issue 21: how soon a visitor of /s/, /u/ and /r/ can
// act on a slow link (10/5 Mbit/s, 40 ms, cold cache, headless Chromium with
// DevTools network emulation), against the same page's HTML, CSS and JS
// without the wasm (its request blocked): the time until the document is
// parsed and its scripts have run. Rounds alternate the two.
//
//	go run ./scripts/bench -ferry ./ferry -only visitors

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// visitorPage is one page a visitor opens and what they act on there.
type visitorPage struct {
	what, path string
	act        string // JS true once the visitor can act
}

// actable is JS: sel is there, on top where one would click it, and the
// page's scripts run (visitor.js before the app, or the app itself).
func actable(sel string) string {
	return fmt.Sprintf(`(() => {
		const ok = document.documentElement.dataset.early === 'ready' || document.getElementById('app-ready');
		const el = document.querySelector(%q);
		if (!ok || !el) return false;
		const b = el.getBoundingClientRect();
		if (b.width === 0 || b.height === 0) return false;
		const hit = document.elementFromPoint(b.x + Math.min(b.width / 2, 20), b.y + Math.min(b.height / 2, 20));
		return !!hit && (el.contains(hit) || hit.contains(el));
	})()`, sel)
}

// parsed is JS: DOMContentLoaded has run, so the HTML is parsed and its
// deferred scripts have run (and the stylesheets before them are in): the
// reference's end.
const parsed = `(() => { const n = performance.getEntriesByType('navigation')[0]; return !!n && n.domContentLoadedEventEnd > 0 })()`

func visitorRows(r *report, f *ferry, c *client, root string) {
	var fo struct {
		ID string `json:"id"`
	}
	c.json("POST", "/api/v2/assets/"+root+"/children", map[string]string{"type": "folder", "name": "Visitors"}, &fo)
	var ids []string
	for i := 0; i < 24; i++ {
		ids = append(ids, c.uploadBytes(fo.ID, fmt.Sprintf("photo-%03d.jpg", i), "image/jpeg", photo(800, 600, uint8(i))))
	}
	c.waitProxies(fo.ID, len(ids))
	var share, locked, review struct {
		ID  string `json:"id"`
		Key string `json:"key"`
	}
	c.json("POST", "/api/v2/share_links", map[string]any{"kind": "public", "folder_id": fo.ID, "name": "Visitors"}, &share)
	c.json("POST", "/api/v2/share_links", map[string]any{"kind": "public", "folder_id": fo.ID, "name": "Locked", "password": "bench-pass-1"}, &locked)
	var projects []struct {
		ID          string `json:"id"`
		RootAssetID string `json:"root_asset_id"`
	}
	c.json("GET", "/api/v2/projects", nil, &projects)
	project := ""
	for _, p := range projects {
		if p.RootAssetID == root {
			project = p.ID
		}
	}
	var upload struct {
		Key string `json:"key"`
	}
	c.json("POST", "/api/v2/upload_links", map[string]any{"project_id": project, "folder_id": fo.ID, "name": "Drop",
		"recipient_email": "jane@photo.example"}, &upload)
	c.json("POST", "/api/v2/projects/"+project+"/review_links", map[string]any{"name": "Review"}, &review)
	c.json("POST", "/api/v2/review_links/"+review.ID+"/assets", map[string]any{"asset_ids": ids[:4]}, nil)

	pages := []visitorPage{
		{"share page of 24 photos `/s/{key}`: click a tile", "/s/" + share.Key, actable(".gallery-tile")},
		{"password link `/s/{key}`: type the password", "/s/" + locked.Key, actable("#share-password")},
		{"upload link `/u/{key}`: type the passcode", "/u/" + upload.Key, actable("#passcode")},
		// A new reviewer is asked their name before the first comment.
		{"review link `/r/{key}`: type one's name (before a comment)", "/r/" + review.Key, actable("#reviewer-name")},
	}
	rounds := 3
	if *quick {
		rounds = 1
	}
	r.line("## Visitor pages on a slow link: time until the visitor can act")
	r.line("")
	r.line("10 Mbit/s down, 5 Mbit/s up, 40 ms latency (DevTools network emulation), cold cache, headless Chromium; "+
		"the reference is the same page with its wasm blocked, until its HTML is parsed and its scripts have run; "+
		"median of %d rounds, alternating. `go run ./scripts/bench -ferry ./ferry -only visitors`.", rounds)
	r.line("")
	r.line("| page: action | Ferry, until the visitor can act | same page without the wasm | ratio (goal ≥ 0.5, and ≤ 1 s) |")
	r.line("|---|---|---|---|")
	for _, p := range pages {
		var act, ref []time.Duration
		var failed error
		for round := 0; round < rounds && failed == nil; round++ {
			d, err := slowVisit(f.url+p.path, p.act, false)
			if err != nil {
				failed = err
				break
			}
			act = append(act, d)
			if d, err = slowVisit(f.url+p.path, parsed, true); err != nil {
				failed = err
				break
			}
			ref = append(ref, d)
		}
		if failed != nil {
			r.line("| %s | not measured: %v | | |", p.what, failed)
			continue
		}
		a, b := medianDur(act), medianDur(ref)
		r.line("| %s | %s (%s) | %s (%s) | %s |", p.what, a.Round(time.Millisecond), durs(act), b.Round(time.Millisecond), durs(ref),
			goal(b.Seconds()/a.Seconds(), 0.5))
	}
	r.line("")
}

// slowVisit opens url in a fresh Chromium on the emulated slow link and
// returns the time from the navigation until cond is true; noWasm blocks
// the wasm.
func slowVisit(url, cond string, noWasm bool) (time.Duration, error) {
	ctx, done, err := coldBrowser(90 * time.Second)
	if err != nil {
		return 0, err
	}
	defer done()
	setup := []chromedp.Action{
		network.Enable(),
		network.SetCacheDisabled(true),
		network.EmulateNetworkConditions(false, 40, 10e6/8, 5e6/8),
	}
	if noWasm {
		setup = append(setup, network.SetBlockedURLs([]string{"*.wasm"}))
	}
	if err := chromedp.Run(ctx, setup...); err != nil {
		return 0, err
	}
	var took time.Duration
	err = chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		// Only the new document counts: right after Navigate the old one
		// (about:blank, complete) may still answer.
		cond := fmt.Sprintf(`location.href === %q && %s`, url, cond)
		start := time.Now()
		if _, _, _, _, err := page.Navigate(url).Do(ctx); err != nil {
			return err
		}
		for {
			var ok bool
			if err := chromedp.Evaluate(cond, &ok).Do(ctx); err == nil && ok {
				took = time.Since(start)
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("the visitor could not act within %v", time.Since(start).Round(time.Second))
			case <-time.After(10 * time.Millisecond):
			}
		}
	}))
	return took, err
}

// coldBrowser starts headless Chromium with a profile of its own (nothing
// cached), at about:blank; done stops it and removes the profile.
func coldBrowser(timeout time.Duration) (context.Context, func(), error) {
	dir, err := os.MkdirTemp("", "bench-chromium-")
	if err != nil {
		return nil, nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(dir),
		chromedp.Flag("disable-background-networking", true), chromedp.WindowSize(1280, 800))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel2 := chromedp.NewContext(actx)
	ctx, cancel3 := context.WithTimeout(ctx, timeout)
	done := func() { cancel3(); cancel2(); cancel(); os.RemoveAll(dir) }
	if err := chromedp.Run(ctx, chromedp.Navigate("about:blank")); err != nil {
		done()
		return nil, nil, err
	}
	return ctx, done, nil
}
