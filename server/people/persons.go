package people

import (
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// What members say of people lives beside the clusters, per project: the
// clusters' person ids stay the machine's (a re-cluster keeps them), and a
// name, "hidden" or "merged into" is a record on that id in one project,
// so it survives every re-cluster and never reaches another project. A
// face moved out of a person (split) carries its new person itself
// (Face.Manual), which re-clustering leaves alone.

// personRecord is what members said of a person in a project.
type personRecord struct {
	Name       string    `json:"name,omitempty"`
	Hidden     bool      `json:"hidden,omitempty"`
	MergedInto string    `json:"merged_into,omitempty"`
	UpdatedAt  time.Time `json:"updated_at"`
}

func personKey(project, person string) string { return prefixPerson + project + "/" + person }

// overlay is a project's person records, by person id.
type overlay map[string]personRecord

func loadOverlay(tx *store.Tx, project string) (overlay, error) {
	o := overlay{}
	p := prefixPerson + project + "/"
	err := tx.Scan(p, func(k string, val []byte) error {
		var r personRecord
		if err := json.Unmarshal(val, &r); err != nil {
			return err
		}
		o[strings.TrimPrefix(k, p)] = r
		return nil
	})
	return o, err
}

// resolve follows merges to the person id shown.
func (o overlay) resolve(id string) string {
	for range 32 { // merges repoint their sources, so chains stay short
		r, ok := o[id]
		if !ok || r.MergedInto == "" {
			return id
		}
		id = r.MergedInto
	}
	return id
}

// personOf is who face f shows in this project.
func (o overlay) personOf(f Face) string {
	if f.Manual != "" {
		return o.resolve(f.Manual)
	}
	return o.resolve(f.Person)
}

// Summary is one person of a project: what members said of them, and
// their faces among the photos asked about.
type Summary struct {
	ID     string
	Name   string
	Hidden bool
	Photos int
	Faces  int
	Cover  Face // the largest, clearest face: the person's picture
}

// PhotosIn returns the photos of project that have faces (candidates for
// the People view; the caller keeps those the viewer may see).
func (s *Service) PhotosIn(project string) []string {
	s.mu.RLock()
	ids := make([]string, 0, len(s.byID))
	for id, fs := range s.byID {
		if len(fs) > 0 {
			ids = append(ids, id)
		}
	}
	s.mu.RUnlock()
	s.pmu.Lock()
	defer s.pmu.Unlock()
	out := []string{}
	for _, id := range ids {
		if p, ok := s.projectFor(id); ok && p == project {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// projectFor names the project of photo id, asking ProjectOf once per
// photo (a photo never changes project). Callers hold s.pmu.
func (s *Service) projectFor(id string) (string, bool) {
	if s.projectOf == nil {
		s.projectOf = map[string]string{}
	}
	p, ok := s.projectOf[id]
	if !ok && s.ProjectOf != nil {
		if p, ok = s.ProjectOf(id); ok {
			s.projectOf[id] = p
		}
	}
	return p, ok
}

// prunePersons deletes what members said of people who have no face left
// in that project's photos: a person whose last photo there was deleted,
// and every person of a deleted project. A name stays in each project
// where its person still has a face.
func (s *Service) prunePersons() error {
	s.prunes.Add(1)
	s.mu.RLock() // no face arrives or moves meanwhile (index and Split lock)
	defer s.mu.RUnlock()
	projects := map[string]bool{}
	err := s.Store.View(func(tx *store.Tx) error {
		return tx.ScanKeys(prefixPerson, func(k string) error {
			project, _, _ := strings.Cut(strings.TrimPrefix(k, prefixPerson), "/")
			projects[project] = true
			return nil
		})
	})
	if err != nil || len(projects) == 0 {
		return err
	}
	// The person ids each project's faces carry, before merges resolve.
	carried := map[string]map[string]bool{}
	s.pmu.Lock()
	for id, fs := range s.byID {
		p, ok := s.projectFor(id)
		if !ok || !projects[p] {
			continue
		}
		if carried[p] == nil {
			carried[p] = map[string]bool{}
		}
		for _, f := range fs {
			carried[p][f.Person] = true
			if f.Manual != "" {
				carried[p][f.Manual] = true
			}
		}
	}
	s.pmu.Unlock()
	return s.Store.Update(func(tx *store.Tx) error {
		for project := range projects {
			o, err := loadOverlay(tx, project)
			if err != nil {
				return err
			}
			// A record is in use when a face carries its id or a merge
			// chain from such an id passes through it.
			used := map[string]bool{}
			for id := range carried[project] {
				for range 32 {
					used[id] = true
					r, ok := o[id]
					if !ok || r.MergedInto == "" || used[r.MergedInto] {
						break
					}
					id = r.MergedInto
				}
			}
			for id := range o {
				if !used[id] {
					if err := tx.Delete(personKey(project, id)); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

// summaries groups the faces of photos by the person they show in project.
// Callers hold s.mu.
func (s *Service) summaries(o overlay, photos []string) map[string]*Summary {
	by := map[string]*Summary{}
	seen := map[string]map[string]bool{}
	for _, id := range photos {
		for _, f := range s.byID[id] {
			p := o.personOf(f)
			sm := by[p]
			if sm == nil {
				r := o[p]
				sm = &Summary{ID: p, Name: r.Name, Hidden: r.Hidden, Cover: f}
				by[p], seen[p] = sm, map[string]bool{}
			}
			sm.Faces++
			if !seen[p][id] {
				seen[p][id] = true
				sm.Photos++
			}
			if f.Box.W*f.Box.H*f.Score > sm.Cover.Box.W*sm.Cover.Box.H*sm.Cover.Score {
				sm.Cover = f
			}
		}
	}
	return by
}

// People lists the people in photos (of project), most photos first;
// hidden ones only with withHidden.
func (s *Service) People(project string, photos []string, withHidden bool) ([]Summary, error) {
	o, err := s.overlayOf(project)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	by := s.summaries(o, photos)
	s.mu.RUnlock()
	out := []Summary{}
	for _, sm := range by {
		if withHidden || !sm.Hidden {
			out = append(out, *sm)
		}
	}
	sortSummaries(out)
	return out, nil
}

func sortSummaries(out []Summary) {
	sort.Slice(out, func(i, j int) bool {
		if out[i].Photos != out[j].Photos {
			return out[i].Photos > out[j].Photos
		}
		if (out[i].Name == "") != (out[j].Name == "") {
			return out[i].Name != ""
		}
		return out[i].ID < out[j].ID
	})
}

func (s *Service) overlayOf(project string) (o overlay, err error) {
	err = s.Store.View(func(tx *store.Tx) error {
		o, err = loadOverlay(tx, project)
		return err
	})
	return o, err
}

func errNoPerson(id string) error {
	return errs.NotFoundf("no person %s in this project's photos", id)
}

// Person returns person in photos of project: the summary, their faces and
// their photos (in the order given). A person with no face there is not
// found (an id of another project included).
func (s *Service) Person(project, person string, photos []string) (Summary, []Face, []string, error) {
	o, err := s.overlayOf(project)
	if err != nil {
		return Summary{}, nil, nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	sm := s.summaries(o, photos)[person]
	if sm == nil {
		return Summary{}, nil, nil, errNoPerson(person)
	}
	var fs []Face
	ids := []string{}
	for _, id := range photos {
		in := false
		for _, f := range s.byID[id] {
			if o.personOf(f) == person {
				fs, in = append(fs, f), true
			}
		}
		if in {
			ids = append(ids, id)
		}
	}
	return *sm, fs, ids, nil
}

// MaxNameLength is the longest person name, in characters.
const MaxNameLength = 100

func cleanName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if len([]rune(name)) > MaxNameLength {
		return "", errs.Invalidf("a name has at most %d characters", MaxNameLength)
	}
	if strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return "", errs.Invalidf("a name cannot hold control characters")
	}
	return name, nil
}

// Update names (or unnames, with "") or hides person in project; photos
// are those the caller sees, where the person must appear.
func (s *Service) Update(project, person string, photos []string, name *string, hidden *bool) (Summary, error) {
	if name != nil {
		n, err := cleanName(*name)
		if err != nil {
			return Summary{}, err
		}
		name = &n
	}
	if _, _, _, err := s.Person(project, person, photos); err != nil {
		return Summary{}, err
	}
	err := s.Store.Update(func(tx *store.Tx) error {
		var r personRecord
		if err := tx.Get(personKey(project, person), &r); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if r.MergedInto != "" {
			return errNoPerson(person) // merged meanwhile
		}
		if name != nil {
			r.Name = *name
		}
		if hidden != nil {
			r.Hidden = *hidden
		}
		r.UpdatedAt = s.now()
		return tx.Put(personKey(project, person), r)
	})
	if err != nil {
		return Summary{}, err
	}
	sm, _, _, err := s.Person(project, person, photos)
	return sm, err
}

// Merge makes person from one with person into in project: every face of
// from shows into from now on. into keeps its name, or takes from's when
// it has none. Both must appear in photos.
func (s *Service) Merge(project, into, from string, photos []string) (Summary, error) {
	if into == from {
		return Summary{}, errs.Invalidf("choose another person to merge with this one")
	}
	for _, p := range []string{into, from} {
		if _, _, _, err := s.Person(project, p, photos); err != nil {
			return Summary{}, err
		}
	}
	err := s.Store.Update(func(tx *store.Tx) error {
		o, err := loadOverlay(tx, project)
		if err != nil {
			return err
		}
		if o.resolve(into) != into || o.resolve(from) != from {
			return errs.New(errs.Conflict, "person_changed", "one of these people was merged meanwhile; reload")
		}
		now := s.now()
		src, dst := o[from], o[into]
		if dst.Name == "" {
			dst.Name = src.Name
		}
		dst.UpdatedAt = now
		if err := tx.Put(personKey(project, into), dst); err != nil {
			return err
		}
		// Whatever was merged into from follows it, so chains stay one long.
		for id, r := range o {
			if r.MergedInto == from {
				r.MergedInto, r.UpdatedAt = into, now
				if err := tx.Put(personKey(project, id), r); err != nil {
					return err
				}
			}
		}
		return tx.Put(personKey(project, from), personRecord{MergedInto: into, UpdatedAt: now})
	})
	if err != nil {
		return Summary{}, err
	}
	sm, _, _, err := s.Person(project, into, photos)
	return sm, err
}

// Split moves face faceID (of one of photos) out of its person to a new
// person of its own, and returns that person.
func (s *Service) Split(project, faceID string, photos []string) (Summary, error) {
	f, ok := s.FaceIn(faceID, photos)
	if !ok {
		return Summary{}, errs.NotFoundf("no face %s in this project's photos", faceID)
	}
	person := newPersonID()
	s.mu.Lock()
	var moved *Face
	for i := range s.byID[f.AssetID] {
		if s.byID[f.AssetID][i].N == f.N {
			moved = &s.byID[f.AssetID][i]
		}
	}
	var err error
	if moved == nil {
		err = errs.NotFoundf("no face %s in this project's photos", faceID)
	} else {
		next := *moved
		next.Manual = person
		err = s.Store.Update(func(tx *store.Tx) error {
			if ok, err := tx.Has(faceKey(next)); err != nil || !ok {
				if err == nil {
					err = errs.NotFoundf("the photo of face %s was deleted meanwhile", faceID)
				}
				return err
			}
			return tx.Put(faceKey(next), next)
		})
		if err == nil {
			moved.Manual = person
		}
	}
	s.mu.Unlock()
	if err != nil {
		return Summary{}, err
	}
	sm, _, _, err := s.Person(project, person, photos)
	return sm, err
}
