package people

import (
	"bufio"
	"bytes"
	"context"
	"image"
	_ "image/jpeg" // selfies: JPEG or PNG
	_ "image/png"
	"io"
	"runtime/debug"
	"sync"
	"time"

	"github.com/disintegration/imaging"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/faces"
	"github.com/ferryhq/ferry/server/media"
	"github.com/ferryhq/ferry/server/secure"
)

func newPersonID() string { return secure.Base62(12) }

// Person is one person of a share's face strip.
type Person struct {
	ID     string `json:"id"`
	Name   string `json:"name,omitempty"` // what members of the project named them
	Photos int    `json:"photos"`         // photos of the share this person is in
	FaceID string `json:"face_id"`
}

// Strip lists the people in the given photos of project, by number of
// photos, leaving out those seen in one photo only (passers-by, and the
// fewer faces shown the better) and those members hid. People are as
// members of the project merged and split them.
func (s *Service) Strip(project string, assetIDs []string) ([]Person, error) {
	all, err := s.People(project, assetIDs, false)
	if err != nil {
		return nil, err
	}
	out := []Person{}
	for _, p := range all {
		if p.Photos > 1 {
			out = append(out, Person{ID: p.ID, Name: p.Name, Photos: p.Photos, FaceID: p.Cover.ID()})
		}
	}
	return out, nil
}

// PhotosOf returns the photos among assetIDs (of project) that show
// person, in the order given; none for a person members hid.
func (s *Service) PhotosOf(project, person string, assetIDs []string) ([]string, error) {
	sm, _, ids, err := s.Person(project, person, assetIDs)
	if errs.Is(err, errs.NotFound) || err == nil && sm.Hidden {
		return []string{}, nil
	}
	return ids, err
}

// FaceIn returns face id when its photo is among assetIDs.
func (s *Service) FaceIn(faceID string, assetIDs []string) (Face, bool) {
	asset, n, ok := splitFaceID(faceID)
	if !ok {
		return Face{}, false
	}
	in := false
	for _, id := range assetIDs {
		in = in || id == asset
	}
	if !in {
		return Face{}, false
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, f := range s.byID[asset] {
		if f.N == n {
			return f, true
		}
	}
	return Face{}, false
}

// Selfie limits.
const (
	MaxSelfieBytes  = 10 << 20
	maxSelfiePixels = 40_000_000 // refused before decoding: 160 MB as RGBA
	// maxSelfieDecodeBytes bounds the decoded picture (one at a time):
	// 25 MP of 8-bit colour (a phone's selfie is 8 to 12), 12 MP of
	// 16-bit; it keeps the server's peak under its budget
	// (TestSelfieStormsStayBounded in server/serve).
	maxSelfieDecodeBytes = 100 << 20
	selfieLongSide       = 1024      // analysed at this size at most
	bigSelfiePixels      = 8_000_000 // beyond this the decoded picture is collected at once
	selfieTimeout        = 10 * time.Second
	selfiesPerMinute     = 6 // per client address
)

// selfieGate lets one selfie be analysed at a time and each address send a
// few a minute.
type selfieGate struct {
	once sync.Once
	slot chan struct{}
	mu   sync.Mutex
	seen map[string][]time.Time
}

func (g *selfieGate) init() {
	g.slot = make(chan struct{}, 1)
	g.seen = map[string][]time.Time{}
}

// admit counts a selfie from addr, refusing beyond selfiesPerMinute.
func (g *selfieGate) admit(addr string, now time.Time) error {
	g.once.Do(g.init)
	g.mu.Lock()
	defer g.mu.Unlock()
	recent := g.seen[addr][:0]
	for _, t := range g.seen[addr] {
		if now.Sub(t) < time.Minute {
			recent = append(recent, t)
		}
	}
	if len(recent) >= selfiesPerMinute {
		g.seen[addr] = recent
		e := errs.New(errs.Throttled, "too_many_selfies", "at most %d selfie searches a minute; try again shortly", selfiesPerMinute)
		e.RetryAfter = time.Minute - now.Sub(recent[0])
		return e
	}
	g.seen[addr] = append(recent, now)
	if len(g.seen) > 10000 { // forget quiet addresses
		for a, ts := range g.seen {
			if len(ts) == 0 || now.Sub(ts[len(ts)-1]) > time.Minute {
				delete(g.seen, a)
			}
		}
	}
	return nil
}

// Selfie finds the photos among assetIDs showing a person whose face is in
// the picture read from r (JPEG or PNG, at most MaxSelfieBytes). The
// picture is only held in memory while it is compared; it is never stored.
func (s *Service) Selfie(ctx context.Context, r io.Reader, addr string, assetIDs []string) ([]string, error) {
	body, err := io.ReadAll(io.LimitReader(r, MaxSelfieBytes+1))
	if err != nil {
		return nil, errs.Invalidf("reading the picture: %v", err)
	}
	switch {
	case len(body) == 0:
		return nil, errs.Invalidf("send a JPEG or PNG picture of a face as the request body; it was empty")
	case len(body) > MaxSelfieBytes:
		return nil, errs.New(errs.TooLarge, "too_large", "the picture is over %d MB", MaxSelfieBytes>>20)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(body))
	if err != nil || (format != "jpeg" && format != "png") {
		return nil, errs.New(errs.Unsupported, "unsupported_image", "send a JPEG or PNG picture")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxSelfiePixels {
		return nil, errs.New(errs.TooLarge, "too_many_pixels", "the picture is %d×%d pixels; at most %d megapixels", cfg.Width, cfg.Height, maxSelfiePixels/1_000_000)
	}
	if need := media.DecodedBytes(cfg); need > maxSelfieDecodeBytes {
		// A 16-bit PNG takes 8 bytes a pixel: a small file under the
		// pixel limit could take 320 MB once decoded.
		return nil, errs.New(errs.TooLarge, "too_large_decoded", "the picture would take %d MB of memory to read; at most %d MB: send a smaller one (25 megapixels at most, 8-bit colour)",
			need>>20, maxSelfieDecodeBytes>>20)
	}
	// Bad pictures are refused with their reason above; the throttle
	// decides before the expensive part, the comparison.
	if err := s.selfies.admit(addr, s.now()); err != nil {
		return nil, err
	}
	wait, cancel := context.WithTimeout(ctx, selfieTimeout)
	defer cancel()
	select {
	case s.selfies.slot <- struct{}{}:
	case <-wait.Done():
		e := errs.New(errs.Throttled, "busy", "other selfies are being compared; try again in a few seconds")
		e.RetryAfter = 5 * time.Second
		return nil, e
	}
	defer func() { <-s.selfies.slot }()
	work, cancelWork := context.WithTimeout(ctx, selfieTimeout)
	defer cancelWork()
	ds, err := s.describeSelfie(work, body)
	if err != nil {
		return nil, err
	}
	return s.match(ds, assetIDs), nil
}

func (s *Service) describeSelfie(ctx context.Context, body []byte) ([]faces.Descriptor, error) {
	img, _, err := image.Decode(bufio.NewReader(bytes.NewReader(body)))
	if err != nil {
		return nil, errs.Invalidf("the picture cannot be read: %v", err)
	}
	if b := img.Bounds(); max(b.Dx(), b.Dy()) > selfieLongSide {
		img = imaging.Fit(img, selfieLongSide, selfieLongSide, imaging.Linear)
		if b.Dx()*b.Dy() > bigSelfiePixels {
			// The decoded picture (up to maxSelfieDecodeBytes) is garbage
			// now: give its memory back before the networks allocate their
			// layers, and theirs once done, or each large selfie in a row
			// adds to the process's peak (TestSelfieStormsStayBounded in
			// server/serve: 424 MiB with a collection here alone).
			debug.FreeOSMemory()
			defer debug.FreeOSMemory()
		}
	}
	// A selfie is mostly a close-up that fills the frame: look for it as
	// one first (a quarter of the detector's work), then at the detector's
	// full size for the smaller faces of a wider shot.
	found := s.Engine.AnalyzeCloseUp(img)
	if len(found) == 0 {
		if ctx.Err() != nil {
			return nil, errs.New(errs.Unavailable, "timeout", "comparing the picture took too long; try a smaller one")
		}
		found = s.Engine.Analyze(img)
	}
	if err := s.Engine.Err(); err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, errs.New(errs.Unprocessable, "no_face", "no face was found in the picture; send a clear, front-facing photo")
	}
	ds := make([]faces.Descriptor, len(found))
	for i := range found {
		ds[i] = found[i].Descriptor
	}
	return ds, nil
}

// match returns the photos among assetIDs with a face within
// faces.SameThreshold of any of ds.
func (s *Service) match(ds []faces.Descriptor, assetIDs []string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []string{}
	for _, id := range assetIDs {
	faces:
		for _, f := range s.byID[id] {
			for i := range ds {
				if faces.Distance(&ds[i], &f.Descriptor) < faces.SameThreshold {
					out = append(out, id)
					break faces
				}
			}
		}
	}
	return out
}
