package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// faceEvent is a server with face search on and the eight event photos
// uploaded and indexed, shared by one link that allows search by people.
type faceEvent struct {
	s      *testkit.Server
	admin  *testkit.Client
	ev     testkit.Event
	photos []string // asset ids, in EventCast order
	root   string
	link   model.ShareLink
}

func newFaceEvent(t *testing.T) *faceEvent {
	ev := testkit.EventPhotos(t)
	s := start(t)
	admin := s.Admin(t)
	var st model.FaceSettings
	wantStatus(t, "enable faces", admin.Do("PUT", "/api/v2/settings/faces", model.FaceSearchSwitch{Enabled: model.Ptr(true)}, &st), 200, "")
	if !st.Enabled || !st.Available {
		t.Fatalf("after enabling: %+v", st)
	}
	_, root := linkProject(t, admin, "Gala")
	f := &faceEvent{s: s, admin: admin, ev: ev, root: root}
	for i, jpg := range ev.Photos {
		status, id := visitorUpload(t, admin, map[string]string{"filename": "photo" + string(rune('1'+i)) + ".jpg",
			"filetype": "image/jpeg", "parent_id": root}, jpg)
		if status != 204 {
			t.Fatalf("upload photo %d: status %d", i, status)
		}
		f.photos = append(f.photos, id)
	}
	waitReady(t, admin, f.photos...)
	f.waitIndexed(t, len(f.photos))
	f.link = createShare(t, admin, model.NewShareLink{Kind: "public", AssetIDs: f.photos, AllowFaceSearch: model.Ptr(true)})
	return f
}

func (f *faceEvent) waitIndexed(t *testing.T, n int) model.FaceSettings {
	t.Helper()
	var st model.FaceSettings
	poll.Until(t, 3*time.Minute, func() error {
		st = model.FaceSettings{}
		wantStatus(t, "face status", f.admin.Do("GET", "/api/v2/settings/faces", nil, &st), 200, "")
		if st.Indexed >= n && !st.Busy {
			return nil
		}
		return fmt.Errorf("faces not indexed: %+v", st)
	})
	return st
}

// postSelfie sends a picture to a link's selfie search.
func postSelfie(c *testkit.Client, key string, body []byte, ctype string) *http.Response {
	req, _ := http.NewRequest("POST", c.Base+"/api/v2/public/links/"+key+"/selfie", bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	return c.Send(req, nil)
}

// expected lists, per person, the photos they are in.
func (f *faceEvent) expected(person int) []string {
	var out []string
	for i, cast := range testkit.EventCast {
		if slices.Contains(cast, person) {
			out = append(out, f.photos[i])
		}
	}
	sort.Strings(out)
	return out
}

func sorted(ids []string) []string {
	out := slices.Clone(ids)
	sort.Strings(out)
	return out
}

func TestFaceSearchOnASharedCollection(t *testing.T) {
	f := newFaceEvent(t)
	st := f.waitIndexed(t, 8)
	if st.Faces != 19 {
		t.Errorf("%d faces indexed in the 8 photos, want 19", st.Faces)
	}
	visitor := f.s.Client(t)
	wantStatus(t, "open link", visitor.Do("GET", "/api/v2/public/links/"+f.link.Key, nil, nil), 200, "")
	var strip model.PeopleStrip
	wantStatus(t, "face strip", visitor.Do("GET", "/api/v2/public/links/"+f.link.Key+"/people", nil, &strip), 200, "")
	if len(strip.People) != 5 {
		t.Fatalf("face strip shows %d people, want 5: %+v", len(strip.People), strip)
	}
	// Each person of the strip is exactly one John: the photos filtering
	// by them gives are that John's photos.
	matched := map[int]bool{}
	for _, p := range strip.People {
		var got model.PeoplePhotos
		wantStatus(t, "filter by person", visitor.Do("GET", "/api/v2/public/links/"+f.link.Key+"/people/"+p.ID, nil, &got), 200, "")
		who := -1
		for person := range f.ev.People {
			if slices.Equal(sorted(got.AssetIDs), f.expected(person)) {
				who = person
			}
		}
		if who < 0 || matched[who] {
			t.Fatalf("person %s's photos %v are no John's (or a John twice)", p.ID, got.AssetIDs)
		}
		matched[who] = true
		if p.Photos != len(got.AssetIDs) {
			t.Errorf("strip says %d photos, filter gives %d", p.Photos, len(got.AssetIDs))
		}
		res := visitor.Do("GET", p.ThumbURL, nil, nil)
		wantStatus(t, "face crop", res, 200, "")
		if ct := res.Header.Get("Content-Type"); ct != "image/jpeg" {
			t.Errorf("face crop type %q", ct)
		}
	}
	// A held-out selfie of each John finds exactly that John's photos.
	for person, selfie := range f.ev.Selfies {
		var got model.PeoplePhotos
		res := postSelfie(visitor, f.link.Key, selfie, "image/jpeg")
		wantStatus(t, "selfie of "+f.ev.People[person], res, 200, "")
		if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(sorted(got.AssetIDs), f.expected(person)) {
			t.Errorf("selfie of %s found %v, want %v", f.ev.People[person], sorted(got.AssetIDs), f.expected(person))
		}
	}
}

func TestFaceSearchRefusals(t *testing.T) {
	f := newFaceEvent(t)
	key := f.link.Key
	base := "/api/v2/public/links/"
	var strip model.PeopleStrip
	visitor := f.s.Client(t)
	wantStatus(t, "strip", visitor.Do("GET", base+key+"/people", nil, &strip), 200, "")
	if len(strip.People) == 0 {
		t.Fatal("no people to refuse")
	}
	personA := strip.People[0].ID
	cropA := strip.People[0].ThumbURL

	t.Run("option off answers 404 on every route", func(t *testing.T) {
		off := createShare(t, f.admin, model.NewShareLink{Kind: "public", AssetIDs: f.photos})
		c := f.s.Client(t)
		for _, path := range []string{"/people", "/people/" + personA, "/faces/" + f.photos[0] + ".0"} {
			wantStatus(t, "off "+path, c.Do("GET", base+off.Key+path, nil, nil), 404, "")
		}
		wantStatus(t, "off selfie", postSelfie(c, off.Key, f.ev.Selfies[0], "image/jpeg"), 404, "")
		var pub map[string]any
		wantStatus(t, "public", c.Do("GET", base+off.Key, nil, &pub), 200, "")
		if pub["face_search"] == true {
			t.Error("a link without the option says face_search")
		}
	})

	t.Run("a visitor of another link reaches none of these faces", func(t *testing.T) {
		// Link B shows one photo, with face search on.
		other := createShare(t, f.admin, model.NewShareLink{Kind: "public", AssetIDs: f.photos[1:2], AllowFaceSearch: model.Ptr(true)})
		c := f.s.Client(t)
		var s model.PeopleStrip
		wantStatus(t, "B strip", c.Do("GET", base+other.Key+"/people", nil, &s), 200, "")
		if len(s.People) != 0 {
			t.Errorf("link B (one photo) shows %d people; people in one photo are hidden", len(s.People))
		}
		var got model.PeoplePhotos
		wantStatus(t, "B person", c.Do("GET", base+other.Key+"/people/"+personA, nil, &got), 200, "")
		for _, id := range got.AssetIDs {
			if id != f.photos[1] {
				t.Errorf("link B answered photo %s, not in it", id)
			}
		}
		// A's crop through B's key, and every face of photo 0 through B.
		wantStatus(t, "A's crop via B", c.Do("GET", base+other.Key+"/faces/"+cropA[len(cropA)-38:], nil, nil), 404, "")
		for n := 0; n < 3; n++ {
			wantStatus(t, "photo 0 face via B", c.Do("GET", base+other.Key+"/faces/"+f.photos[0]+"."+string(rune('0'+n)), nil, nil), 404, "")
		}
		// A review or upload key, or no key, is no way in either.
		wantStatus(t, "unknown key", c.Do("GET", base+"AAAAAAAAAAAAAAAAAAAAAA/people", nil, nil), 404, "")
	})

	t.Run("the option and the setting are not for everyone", func(t *testing.T) {
		member := createMember(t, f.admin, "m@example.com", "member password 1")
		mc := f.s.Login(t, "m@example.com", "member password 1")
		wantStatus(t, "member enables", mc.Do("PUT", "/api/v2/settings/faces", model.FaceSearchSwitch{Enabled: model.Ptr(false)}, nil), 403, "")
		wantStatus(t, "member purges", mc.Do("POST", "/api/v2/settings/faces/purge", nil, nil), 403, "")
		anon := f.s.Client(t)
		wantStatus(t, "anonymous reads", anon.Do("GET", "/api/v2/settings/faces", nil, nil), 401, "")
		wantStatus(t, "anonymous purges", anon.Do("POST", "/api/v2/settings/faces/purge", nil, nil), 401, "")
		_ = member
		tok := f.s.TokenClient(t, "settings.read")
		wantStatus(t, "token without settings.update", tok.Do("PUT", "/api/v2/settings/faces", model.FaceSearchSwitch{Enabled: model.Ptr(false)}, nil), 403, "insufficient_scope")
	})

	t.Run("a password link's faces need that link's session", func(t *testing.T) {
		f.passwordLinkSessions(t, personA)
	})

	t.Run("bad selfies get a 4xx with the reason", func(t *testing.T) {
		c := f.s.Client(t)
		noFace := image.NewRGBA(image.Rect(0, 0, 400, 300))
		for i := range noFace.Pix {
			noFace.Pix[i] = uint8(i / 7)
		}
		var noFaceJPEG, gifBody bytes.Buffer
		jpegEncode(t, &noFaceJPEG, noFace)
		gif.Encode(&gifBody, image.NewPaletted(image.Rect(0, 0, 8, 8), []color.Color{color.White}), nil)
		for _, c2 := range []struct {
			name   string
			body   []byte
			ctype  string
			status int
			code   string
		}{
			{"empty", nil, "image/jpeg", 400, "invalid"},
			{"GIF", gifBody.Bytes(), "image/gif", 415, "unsupported_image"},
			{"20000x20000 PNG header", testkit.BlankPNG(20000, 20000, 8, 0)[:64], "image/png", 413, "too_many_pixels"},
			{"16-bit PNG of 36 MP (288 MB decoded)", testkit.BlankPNG(6000, 6000, 16, 6), "image/png", 413, "too_large_decoded"},
			{"no face", noFaceJPEG.Bytes(), "image/jpeg", 422, "no_face"},
		} {
			wantStatus(t, c2.name, postSelfie(c, key, c2.body, c2.ctype), c2.status, c2.code)
		}
		wantStatus(t, "over 10 MB", postSelfie(c, key, bytes.Repeat([]byte{0xff}, 10<<20+1), "image/jpeg"), 413, "too_large")
	})

	t.Run("50 parallel selfies from one address are throttled", func(t *testing.T) {
		c := f.s.Client(t)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		codes := testkit.Parallel(50, func(int) int {
			res := postSelfie(c, key, f.ev.Selfies[1], "image/jpeg")
			res.Body.Close()
			return res.StatusCode
		})
		runtime.ReadMemStats(&after)
		if codes[200]+codes[429] != 50 || codes[429] < 44 {
			t.Errorf("50 parallel selfies: %v, want at most 6 answered and the rest 429", codes)
		}
		if after.Sys > 1<<30 {
			t.Errorf("memory taken from the OS reached %d MB", after.Sys>>20)
		}
		res := postSelfie(c, key, f.ev.Selfies[1], "image/jpeg")
		wantStatus(t, "51st", res, 429, "too_many_selfies")
		if res.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
	})
}

func jpegEncode(t *testing.T, w *bytes.Buffer, img image.Image) {
	t.Helper()
	if err := jpeg.Encode(w, img, nil); err != nil {
		t.Fatal(err)
	}
}

func TestFaceIndexLifecycle(t *testing.T) {
	ev := testkit.EventPhotos(t)
	dir := t.TempDir()
	s := testkit.StartIn(t, dir)
	admin := s.Admin(t)
	_, root := linkProject(t, admin, "Lifecycle")
	var ids []string
	for i, jpg := range ev.Photos[:3] {
		status, id := visitorUpload(t, admin, map[string]string{"filename": "p" + string(rune('a'+i)) + ".jpg",
			"filetype": "image/jpeg", "parent_id": root}, jpg)
		if status != 204 {
			t.Fatalf("upload: %d", status)
		}
		ids = append(ids, id)
	}
	waitReady(t, admin, ids...)
	f := &faceEvent{s: s, admin: admin}

	// Off by default: nothing is indexed, and links cannot offer it.
	var st model.FaceSettings
	wantStatus(t, "status", admin.Do("GET", "/api/v2/settings/faces", nil, &st), 200, "")
	if st.Enabled || st.Indexed != 0 || st.Faces != 0 {
		t.Fatalf("face search is not off by default: %+v", st)
	}
	wantStatus(t, "link with the option while off", admin.Do("POST", "/api/v2/share_links",
		model.NewShareLink{Kind: "public", AssetIDs: ids, AllowFaceSearch: model.Ptr(true)}, nil), 409, "faces_off")

	// Switched on: the photos already there are indexed; a restart in the
	// middle loses nothing (the queue is in the database).
	wantStatus(t, "enable", admin.Do("PUT", "/api/v2/settings/faces", model.FaceSearchSwitch{Enabled: model.Ptr(true)}, nil), 200, "")
	s.Stop()
	s = testkit.StartIn(t, dir)
	f.s, f.admin = s, s.Admin(t)
	st = f.waitIndexed(t, 3)
	if st.Faces != 7 || st.People != 5 {
		t.Fatalf("after enabling and a restart: %+v, want 7 faces of 5 people", st)
	}
	crop := filepath.Join(dir, "proxies", ids[0][:2], ids[0], "face-0.jpg")
	if _, err := os.Stat(crop); err != nil {
		t.Fatalf("face crop: %v", err)
	}

	// Deleting a photo deletes its faces and their crops.
	wantStatus(t, "delete photo", f.admin.Do("DELETE", "/api/v2/assets/"+ids[0], nil, nil), 200, "")
	poll.Until(t, 10*time.Second, func() error {
		wantStatus(t, "status", f.admin.Do("GET", "/api/v2/settings/faces", nil, &st), 200, "")
		if st.Faces == 5 && st.Indexed == 2 {
			return nil
		}
		return fmt.Errorf("after deleting a photo with 2 faces: %+v, want 5 faces in 2 photos", st)
	})
	if _, err := os.Stat(crop); !os.IsNotExist(err) {
		t.Errorf("the deleted photo's face crop is still there: %v", err)
	}

	// Purge: every face and crop goes, and the feature is off again.
	wantStatus(t, "purge", f.admin.Do("POST", "/api/v2/settings/faces/purge", nil, &st), 200, "")
	if st.Enabled || st.Faces != 0 || st.Indexed != 0 || st.Queued != 0 {
		t.Fatalf("after purge: %+v", st)
	}
	crops, _ := filepath.Glob(filepath.Join(dir, "proxies", "*", "*", "face-*.jpg"))
	if len(crops) != 0 {
		t.Errorf("crops left after purge: %v", crops)
	}
	// And it stays purged across a restart.
	s.Stop()
	s = testkit.StartIn(t, dir)
	wantStatus(t, "status", s.Admin(t).Do("GET", "/api/v2/settings/faces", nil, &st), 200, "")
	if st.Enabled || st.Faces != 0 {
		t.Fatalf("after purge and restart: %+v", st)
	}
}

// passwordLinkSessions: on a link with a password, the face routes open
// only to a visitor who unlocked that link, whether the session comes as
// the link's cookie (a browser) or as the Ferry-Session header (the app
// sends it where the browser keeps an invitation's session; an embed whose
// cookie was dropped). The cookie alone is enough: the header is a second
// way in, not a need. No session, a made-up one and another link's
// session are refused; a link without the option answers 404 even unlocked.
func (f *faceEvent) passwordLinkSessions(t *testing.T, person string) {
	base := "/api/v2/public/links/"
	const password = "long enough pw"
	locked := createShare(t, f.admin, model.NewShareLink{Kind: "public", AssetIDs: f.photos, Password: password, AllowFaceSearch: model.Ptr(true)})
	other := createShare(t, f.admin, model.NewShareLink{Kind: "public", AssetIDs: f.photos, Password: "another long pw", AllowFaceSearch: model.Ptr(true)})
	off := createShare(t, f.admin, model.NewShareLink{Kind: "public", AssetIDs: f.photos, Password: password})
	selfie, want := f.ev.Selfies[2], f.expected(2)
	face := f.photos[0] + ".0"
	// every face route of key, as c sees it: the status of each.
	routes := func(c *testkit.Client, key string) map[string]int {
		t.Helper()
		out := map[string]int{}
		for _, path := range []string{"/people", "/people/" + person, "/faces/" + face} {
			out["GET "+path] = c.Do("GET", base+key+path, nil, nil).StatusCode
		}
		res := postSelfie(c, key, selfie, "image/jpeg")
		out["POST /selfie"] = res.StatusCode
		if res.StatusCode == 200 {
			var got model.PeoplePhotos
			if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(sorted(got.AssetIDs), want) {
				t.Errorf("selfie through %s found %v, want %v", key, sorted(got.AssetIDs), want)
			}
		}
		return out
	}
	refused := func(who string, got map[string]int, status int) {
		t.Helper()
		for route, s := range got {
			if s != status {
				t.Errorf("%s: %s answered %d, want %d", who, route, s, status)
			}
		}
	}

	anon := f.s.Client(t)
	refused("anonymous", routes(anon, locked.Key), 401)
	opened := f.s.Client(t) // opened the page, did not type the password
	wantStatus(t, "open the locked page", opened.Do("GET", base+locked.Key, nil, nil), 200, "")
	refused("visitor before the password", routes(opened, locked.Key), 401)
	wantStatus(t, "selfie before the password", postSelfie(opened, locked.Key, selfie, "image/jpeg"), 401, "password_required")
	forged := f.s.SessionClient(t, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	refused("a made-up Ferry-Session", routes(forged, locked.Key), 401)

	// Unlocked: the cookie opens every route.
	visitor := f.s.Client(t)
	_, err := visitor.API().UnlockShare(locked.Key, password)
	wantErr(t, "unlock", err, 0, "")
	refused("visitor with the link's cookie", routes(visitor, locked.Key), 200)
	// The same session without the cookie, as the Ferry-Session header.
	header := f.s.SessionClient(t, visitor.LinkSession(locked.Key))
	refused("visitor with the session as Ferry-Session", routes(header, locked.Key), 200)

	// A visitor of another link, with its cookie or its session as the header.
	otherVisitor := f.s.Client(t)
	_, err = otherVisitor.API().UnlockShare(other.Key, "another long pw")
	wantErr(t, "unlock the other link", err, 0, "")
	refused("visitor of another link (its cookie)", routes(otherVisitor, locked.Key), 401)
	otherHeader := f.s.SessionClient(t, otherVisitor.LinkSession(other.Key))
	refused("visitor of another link (its session as Ferry-Session)", routes(otherHeader, locked.Key), 401)

	// Option off: 404 on every route, even unlocked.
	offVisitor := f.s.Client(t)
	_, err = offVisitor.API().UnlockShare(off.Key, password)
	wantErr(t, "unlock the link without face search", err, 0, "")
	refused("unlocked visitor of a link without the option", routes(offVisitor, off.Key), 404)
}
