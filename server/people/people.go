// Package people keeps the faces found in photos and who they are: the
// face records (face/), the indexing queue (faceq/), which photos are done
// (facedone/) and the site's face setting. It runs the face engine
// (server/faces) over each photo's large rendition as a media job beside
// the proxies, groups faces into people library-wide, and answers a share
// link's face strip and selfie search over the photos the link holds.
package people

import (
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/faces"
	"github.com/ferryhq/ferry/server/jobs"
	"github.com/ferryhq/ferry/server/storage"
	"github.com/ferryhq/ferry/server/store"
)

// Key prefixes this package owns (see server/store).
const (
	prefixFace  = "face/"     // face/<asset id>/<n> → Face
	prefixQueue = "faceq/"    // faceq/<asset id> → job: a photo waiting to be indexed
	prefixDone  = "facedone/" // facedone/<asset id> → done: the photo was indexed
	// person/<project id>/<person id> → what members said of a person in
	// a project: a name, hidden, or merged into another (persons.go).
	prefixPerson = "person/"
	settingKey   = store.PrefixSetting + "faces"
)

// Face is one face found in a photo, as stored.
type Face struct {
	AssetID string    `json:"asset_id"`
	N       int       `json:"n"`
	Box     faces.Box `json:"box"` // in the large rendition's pixels
	Score   float64   `json:"score"`
	Person  string    `json:"person"` // the clusters' person (re-clustering moves it)
	// Manual is the person a member moved this face out to (split): it
	// overrides Person and no re-clustering moves it.
	Manual     string           `json:"manual,omitempty"`
	Descriptor faces.Descriptor `json:"descriptor"`
}

// ID names a face in URLs: its asset and its number.
func (f Face) ID() string { return f.AssetID + "." + itoa(f.N) }

type done struct {
	At    time.Time `json:"at"`
	Faces int       `json:"faces"`
	Error string    `json:"error,omitempty"`
}

type setting struct {
	Enabled bool `json:"enabled"`
}

// Service is face indexing and search.
type Service struct {
	Store *store.Store
	Blobs storage.Blobs
	// Engine is nil when face recognition cannot run here; Unavailable
	// then says why (a nofaces build, models that failed to load).
	Engine      *faces.Engine
	Unavailable string
	Workers     int
	Log         *slog.Logger
	Now         func() time.Time
	// Photos calls fn for every photo whose renditions are ready (to
	// index existing photos when the feature is switched on).
	Photos func(fn func(id string) error) error
	// Rendition is the local path of the picture to analyse of photo id.
	Rendition func(id string) (string, bool)

	mu    sync.RWMutex
	byID  map[string][]Face // every stored face, by asset
	dirty atomic.Bool       // faces arrived since the last re-cluster
	// prunes counts passes over the people (prunePersons): one per
	// deletion, whatever its size (tests read it).
	prunes atomic.Int64

	queue   *jobs.Queue // the indexing queue (jobs.go)
	once    sync.Once
	selfies selfieGate

	// ProjectOf names the project of a photo (nil: every photo is in
	// project ""); the answers are kept, a photo never changes project.
	ProjectOf func(assetID string) (string, bool)
	pmu       sync.Mutex
	projectOf map[string]string
}

// ErrOff is returned when face recognition is off or unavailable.
var ErrOff = errs.NotFoundf("face search is off on this site")

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Available reports whether the engine loaded.
func (s *Service) Available() bool { return s.Engine != nil }

// Enabled reports whether an admin switched face recognition on and it can run.
func (s *Service) Enabled() bool {
	if s.Engine == nil {
		return false
	}
	var st setting
	if err := s.Store.View(func(tx *store.Tx) error { return tx.Get(settingKey, &st) }); err != nil {
		return false
	}
	return st.Enabled
}

func (s *Service) enabledTx(tx *store.Tx) bool {
	var st setting
	return s.Engine != nil && tx.Get(settingKey, &st) == nil && st.Enabled
}

// Load reads every stored face into memory (search is brute force over
// them: 128 floats a face, 30 000 faces in milliseconds).
func (s *Service) Load() error {
	byID := map[string][]Face{}
	err := s.Store.View(func(tx *store.Tx) error {
		return tx.Scan(prefixFace, func(_ string, val []byte) error {
			var f Face
			if err := decodeFace(val, &f); err != nil {
				return err
			}
			byID[f.AssetID] = append(byID[f.AssetID], f)
			return nil
		})
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.byID = byID
	s.mu.Unlock()
	// What members said of people whose photos were all deleted before
	// deleting forgot it (builds before schema 3) goes once: the migration
	// to schema 3 left a mark for it.
	if err := s.sweepOnce(); err != nil && s.Log != nil {
		s.Log.Warn("faces: forgetting people without photos failed", slog.Any("err", err))
	}
	return nil
}

// sweepOnce prunes what members said of people without a face when the
// migration to schema 3 asked for it, then clears the mark; an ordinary
// start reads one key.
func (s *Service) sweepOnce() error {
	var pending bool
	err := s.Store.View(func(tx *store.Tx) (err error) {
		pending, err = tx.Has(store.PendingPersonSweep)
		return err
	})
	if err != nil || !pending {
		return err
	}
	if err := s.prunePersons(); err != nil {
		return err // the mark stays: the next start tries again
	}
	return s.Store.Update(func(tx *store.Tx) error { return tx.Delete(store.PendingPersonSweep) })
}

// Queue marks photo id for indexing inside the transaction that made its
// renditions, when the feature is on (assets.Service.ImageReady).
func (s *Service) Queue(tx *store.Tx, id string) error {
	if !s.enabledTx(tx) {
		return nil
	}
	if err := jobs.Enqueue(tx, prefixQueue+id, s.now()); err != nil {
		return err
	}
	tx.AfterCommit(s.Wake)
	return nil
}

// Forget deletes the faces of deleted photos, their crops and jobs, and
// then, once for them all, what members said of people left without a
// face in their project. assets.Service.Deleted calls it once per
// deletion (a folder's or project's whole tree at once), so deleting N
// photos costs one pass over the people, not N.
func (s *Service) Forget(ids []string) {
	for batch := range slices.Chunk(ids, forgetBatch) {
		err := s.Store.Update(func(tx *store.Tx) error {
			for _, id := range batch {
				if err := deleteAsset(tx, id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil && s.Log != nil {
			s.Log.Warn("faces: forgetting deleted photos failed", slog.Int("photos", len(batch)), slog.String("first", batch[0]), slog.Any("err", err))
		}
	}
	var gone []Face
	s.mu.Lock()
	for _, id := range ids {
		gone = append(gone, s.byID[id]...)
		delete(s.byID, id)
	}
	s.mu.Unlock()
	for _, f := range gone {
		s.Blobs.Remove(CropKey(f))
	}
	if len(gone) > 0 {
		// Their people may have had their last faces here.
		if err := s.prunePersons(); err != nil && s.Log != nil {
			s.Log.Warn("faces: forgetting the people of deleted photos failed", slog.Int("photos", len(ids)), slog.Any("err", err))
		}
	}
	s.pmu.Lock()
	for _, id := range ids {
		delete(s.projectOf, id)
	}
	s.pmu.Unlock()
}

// forgetBatch is how many deleted photos' face records go in one
// transaction: a few keys each, well under Badger's transaction size.
const forgetBatch = 250

func deleteAsset(tx *store.Tx, id string) error {
	var keys []string
	if err := tx.ScanKeys(prefixFace+id+"/", func(k string) error { keys = append(keys, k); return nil }); err != nil {
		return err
	}
	keys = append(keys, prefixQueue+id, prefixDone+id)
	for _, k := range keys {
		if err := tx.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// CropKey is the blob of a face's small crop (the picker's picture),
// beside the photo's other renditions so deleting the photo removes it.
func CropKey(f Face) string {
	return "proxies/" + f.AssetID[:2] + "/" + f.AssetID + "/face-" + itoa(f.N) + ".jpg"
}

// Settings is model.FaceSettings, what the admin's Settings page shows.
type Settings = model.FaceSettings

// whatIsStored is the notice Settings shows before an admin switches on.
const whatIsStored = "For each photo: the position of each face, a 128-number face descriptor " +
	"(biometric data) and a small face crop, kept in the data directory until the photo is deleted " +
	"or the face data is purged. Visitors' selfies are compared in memory and never stored."

// Status reports the setting and the indexing progress.
func (s *Service) Status() (Settings, error) {
	st := Settings{Available: s.Engine != nil, Unavailable: s.Unavailable, Stored: whatIsStored}
	err := s.Store.View(func(tx *store.Tx) error {
		st.Enabled = s.enabledTx(tx)
		var err error
		if st.Queued, err = tx.Count(prefixQueue); err != nil {
			return err
		}
		st.Indexed, err = tx.Count(prefixDone)
		return err
	})
	s.mu.RLock()
	people := map[string]bool{}
	for _, fs := range s.byID {
		st.Faces += len(fs)
		for _, f := range fs {
			people[f.Person] = true
		}
	}
	s.mu.RUnlock()
	st.People = len(people)
	st.Busy = st.Queued > 0 || s.dirty.Load()
	return st, err
}

// SetEnabled switches face recognition on or off. Switching on queues
// every photo not indexed yet; off stops indexing (the data stays until
// purged).
func (s *Service) SetEnabled(on bool) (Settings, error) {
	if on && s.Engine == nil {
		return Settings{}, errs.New(errs.Conflict, "faces_unavailable", "face recognition cannot run here: %s", s.Unavailable)
	}
	var ids []string
	if on && s.Photos != nil {
		if err := s.Photos(func(id string) error { ids = append(ids, id); return nil }); err != nil {
			return Settings{}, err
		}
	}
	err := s.Store.Update(func(tx *store.Tx) error {
		if err := tx.Put(settingKey, setting{Enabled: on}); err != nil {
			return err
		}
		if !on {
			return nil
		}
		now := s.now()
		for _, id := range ids {
			if ok, err := tx.Has(prefixDone + id); err != nil || ok {
				if err != nil {
					return err
				}
				continue
			}
			if err := jobs.Enqueue(tx, prefixQueue+id, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil && !on {
		err = s.clearAll(prefixQueue)
	}
	if err != nil {
		return Settings{}, err
	}
	s.Wake()
	return s.Status()
}

// Purge deletes every face, crop and job and switches the feature off.
func (s *Service) Purge() (Settings, error) {
	s.mu.Lock()
	var all []Face
	for _, fs := range s.byID {
		all = append(all, fs...)
	}
	s.byID = map[string][]Face{}
	s.mu.Unlock()
	err := s.Store.Update(func(tx *store.Tx) error { return tx.Put(settingKey, setting{Enabled: false}) })
	for _, p := range []string{prefixQueue, prefixFace, prefixDone, prefixPerson} {
		if err == nil {
			err = s.clearAll(p)
		}
	}
	for _, f := range all {
		s.Blobs.Remove(CropKey(f))
	}
	if err != nil {
		return Settings{}, err
	}
	return s.Status()
}

// clearAll deletes every key under p, a thousand per transaction so a
// large library stays under Badger's transaction size.
func (s *Service) clearAll(p string) error {
	for {
		var keys []string
		err := s.Store.Update(func(tx *store.Tx) error {
			keys = keys[:0]
			err := tx.ScanKeys(p, func(k string) error {
				if len(keys) == 1000 {
					return store.ErrStop
				}
				keys = append(keys, k)
				return nil
			})
			if err != nil {
				return err
			}
			for _, k := range keys {
				if err := tx.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || len(keys) < 1000 {
			return err
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// splitFaceID parses a face's URL id (asset.n).
func splitFaceID(id string) (asset string, n int, ok bool) {
	dot := strings.LastIndexByte(id, '.')
	if dot < 0 {
		return "", 0, false
	}
	asset = id[:dot]
	for _, c := range id[dot+1:] {
		if c < '0' || c > '9' || n > 1<<20 {
			return "", 0, false
		}
		n = n*10 + int(c-'0')
	}
	return asset, n, dot+1 < len(id)
}
