package people

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"log/slog"
	"os"

	"github.com/disintegration/imaging"

	"github.com/ferryhq/ferry/server/faces"
	"github.com/ferryhq/ferry/server/jobs"
	"github.com/ferryhq/ferry/server/store"
)

// Quality gate before a face is kept: enough pixels to be recognised.
const (
	minFacePixels = 48    // the box's shorter side
	minEyePixels  = 16    // between the eye centres
	cropSize      = 96    // the picker's crop, in pixels
	maxAttempts   = 3     // a photo whose indexing was cut short this often is given up
	maxRecluster  = 20000 // faces; the re-cluster compares every pair (2 × 10⁸ distances at this size)
)

func decodeFace(b []byte, f *Face) error { return json.Unmarshal(b, f) }

func (s *Service) init() {
	s.queue = &jobs.Queue{Store: s.Store, Workers: max(1, s.Workers), Clock: s.Now, Log: s.Log, Idle: s.idle,
		Kinds: []jobs.Kind{{Name: "faces", Prefix: prefixQueue, Do: s.index}}}
}

// Wake tells the indexer there is work.
func (s *Service) Wake() {
	s.once.Do(s.init)
	s.queue.Wake()
}

// Run indexes queued photos, at most Workers at once, until ctx ends. Jobs
// stay queued until done, so a restart resumes them; when the queue runs
// dry the library's people are re-clustered.
func (s *Service) Run(ctx context.Context) {
	s.once.Do(s.init)
	if s.Engine == nil {
		return
	}
	s.queue.Run(ctx)
}

// Stats reports the indexing queue's progress.
func (s *Service) Stats() ([]jobs.Stats, error) {
	s.once.Do(s.init)
	return s.queue.Stats()
}

// idle re-clusters the people once photos stop arriving.
func (s *Service) idle() {
	if !s.dirty.Load() {
		return
	}
	if err := s.Recluster(); err != nil && s.Log != nil {
		s.Log.Warn("faces: re-clustering failed", slog.Any("err", err))
	}
}

// index finds the faces of photo t.ID and stores them with their crops.
func (s *Service) index(ctx context.Context, t *jobs.Task) error {
	id := t.ID
	var found []Face
	var failure string
	var err error
	if t.Attempts > maxAttempts {
		failure = "given up after repeated interruptions"
	} else if found, err = s.analyse(id); err != nil {
		failure = err.Error()
	}
	if ctx.Err() != nil {
		return ctx.Err() // shutting down: the job stays queued
	}
	if failure != "" && s.Log != nil {
		s.Log.Warn("faces: indexing a photo failed", slog.String("asset", id), slog.String("reason", failure))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.assign(found)
	err = s.Store.Update(func(tx *store.Tx) error {
		if ok, err := tx.Has(prefixQueue + id); err != nil || !ok {
			if err == nil {
				err = errGone
			}
			return err // deleted or purged while we worked
		}
		if err := deleteAsset(tx, id); err != nil {
			return err
		}
		for _, f := range found {
			if err := tx.Put(faceKey(f), f); err != nil {
				return err
			}
		}
		return tx.Put(prefixDone+id, done{At: s.now(), Faces: len(found), Error: failure})
	})
	if err != nil {
		for _, f := range found {
			s.Blobs.Remove(CropKey(f))
		}
		if errors.Is(err, errGone) {
			return nil
		}
		return jobs.Retry(err)
	}
	if s.byID != nil {
		s.byID[id] = found
	}
	if len(found) > 0 {
		s.dirty.Store(true)
	}
	if failure != "" {
		return errors.New(failure)
	}
	return nil
}

var errGone = errors.New("photo gone")

func faceKey(f Face) string { return prefixFace + f.AssetID + "/" + fmt.Sprintf("%04d", f.N) }

// analyse runs the engine over the photo's large rendition and writes a
// crop of each face that passes the quality gate.
func (s *Service) analyse(id string) ([]Face, error) {
	path, ok := s.Rendition(id)
	if !ok {
		return nil, errors.New("no rendition to analyse")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	img, err := jpeg.Decode(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("reading the rendition: %w", err)
	}
	found := s.Engine.Analyze(img)
	if err := s.Engine.Err(); err != nil {
		return nil, err
	}
	var out []Face
	for _, fc := range found {
		if min(fc.Box.W, fc.Box.H) < minFacePixels || fc.EyeDistance() < minEyePixels {
			continue
		}
		face := Face{AssetID: id, N: len(out), Box: fc.Box, Score: fc.Score, Descriptor: fc.Descriptor}
		if err := s.writeCrop(img, face); err != nil {
			return nil, err
		}
		out = append(out, face)
	}
	return out, nil
}

// writeCrop saves a square crop around the face with some margin.
func (s *Service) writeCrop(img image.Image, f Face) error {
	b := img.Bounds()
	side := max(f.Box.W, f.Box.H) * 1.4
	cx, cy := f.Box.X+f.Box.W/2, f.Box.Y+f.Box.H/2
	r := image.Rect(int(cx-side/2), int(cy-side/2), int(cx+side/2), int(cy+side/2)).Add(b.Min).Intersect(b)
	crop := imaging.Fill(imaging.Crop(img, r), cropSize, cropSize, imaging.Center, imaging.Linear)
	w, err := s.Blobs.Create(CropKey(f))
	if err != nil {
		return err
	}
	if err := jpeg.Encode(w, crop, &jpeg.Options{Quality: 85}); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// assign gives each new face the person of its nearest stored face when
// that one is close enough, else a new person. Callers hold s.mu.
func (s *Service) assign(found []Face) {
	for i := range found {
		// The nearest face's person, and the person a member moved that
		// face to (a split), which a new photo of the same face follows.
		best, manual, bestD := "", "", faces.SameThreshold
		for _, fs := range s.byID {
			for _, f := range fs {
				if d := faces.Distance(&found[i].Descriptor, &f.Descriptor); d < bestD {
					best, manual, bestD = f.Person, f.Manual, d
				}
			}
		}
		for _, f := range found[:i] {
			if d := faces.Distance(&found[i].Descriptor, &f.Descriptor); d < bestD {
				best, manual, bestD = f.Person, f.Manual, d
			}
		}
		if best == "" {
			best = newPersonID()
		}
		found[i].Person, found[i].Manual = best, manual
	}
}

// Recluster groups every stored face with Chinese whispers and keeps
// person ids stable: each new cluster takes the id most of its faces had.
func (s *Service) Recluster() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.dirty.Store(false)
	var all []*Face
	for _, fs := range s.byID {
		for i := range fs {
			all = append(all, &fs[i])
		}
	}
	if len(all) > maxRecluster {
		// Chinese whispers compares every pair: beyond this the people
		// stay as nearest-face assignment made them.
		return nil
	}
	ds := make([]faces.Descriptor, len(all))
	for i, f := range all {
		ds[i] = f.Descriptor
	}
	labels := faces.Cluster(ds)
	votes := map[int]map[string]int{}
	for i, l := range labels {
		if votes[l] == nil {
			votes[l] = map[string]int{}
		}
		votes[l][all[i].Person]++
	}
	taken := map[string]bool{}
	ids := map[int]string{}
	for l := 0; l < len(votes); l++ {
		best, n := "", 0
		for p, v := range votes[l] {
			if !taken[p] && (v > n || v == n && p < best) {
				best, n = p, v
			}
		}
		if best == "" {
			best = newPersonID()
		}
		taken[best] = true
		ids[l] = best
	}
	var changed []*Face
	for i, f := range all {
		if p := ids[labels[i]]; p != f.Person {
			f.Person = p
			changed = append(changed, f)
		}
	}
	for len(changed) > 0 {
		n := min(len(changed), 500)
		batch := changed[:n]
		changed = changed[n:]
		err := s.Store.Update(func(tx *store.Tx) error {
			for _, f := range batch {
				if ok, err := tx.Has(faceKey(*f)); err != nil || !ok {
					continue // forgotten meanwhile
				}
				if err := tx.Put(faceKey(*f), *f); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
