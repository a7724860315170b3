package review

import (
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/links"
	"github.com/ferryhq/ferry/server/secure"
	"github.com/ferryhq/ferry/server/store"
)

// Links owns review links as stored: their records, items, passwords and
// visitor sessions, on the links core every kind shares.
type Links struct {
	*links.Core // store, clock, password gate, access log
	Assets      *assets.Service
	PublicURL   string
	SiteName    string
}

func (s *Links) now() time.Time { return s.Time() }

// Link is a review link as stored. It shares keys, passwords (with
// their throttle and lock), expiry and visitor sessions with share links.
type Link struct {
	ID                 string      `json:"id"`
	Key                string      `json:"key"`
	ProjectID          string      `json:"project_id"`
	Name               string      `json:"name"`
	AllowApprovals     bool        `json:"allow_approvals"`
	CurrentVersionOnly bool        `json:"current_version_only"`
	EnableDownloading  bool        `json:"enable_downloading"`
	EnableComments     bool        `json:"enable_comments"`
	ExpiresAt          *time.Time  `json:"expires_at"`
	PasswordHash       string      `json:"password_hash,omitempty"`
	Failures           []time.Time `json:"failures,omitempty"`
	Locked             bool        `json:"locked"`
	OwnerID            string      `json:"owner_id"`
	OwnerName          string      `json:"owner_name"`
	ViewCount          int         `json:"view_count"`
	DigestedAt         time.Time   `json:"digested_at"` // feedback up to here went out in a digest
	InsertedAt         time.Time   `json:"inserted_at"`
	UpdatedAt          time.Time   `json:"updated_at"`
}

// View is model.ReviewLink, the JSON document.
type View = model.ReviewLink

// Input is model.ReviewLinkInput, the JSON document.
type Input = model.ReviewLinkInput

// Item is model.ReviewLinkItem, the JSON document.
type Item = model.ReviewLinkItem

type itemRecord struct {
	ID         string    `json:"id"`
	AssetID    string    `json:"asset_id"`
	InsertedAt time.Time `json:"inserted_at"`
}

func getReview(tx *store.Tx, id string) (Link, error) {
	return links.GetByID[Link](tx, store.PrefixReviewLink, id, "review link")
}

func putReview(tx *store.Tx, r Link) error { return tx.Put(store.PrefixReviewLink+r.ID, r) }

func reviewByKey(tx *store.Tx, key string) (Link, error) {
	return links.ByKey[Link](tx, key, links.ReviewKind, store.PrefixReviewLink, "review link", links.NotFound())
}

func (r Link) open(now time.Time) error {
	if r.ExpiresAt != nil && !now.Before(*r.ExpiresAt) {
		return errs.New(errs.Gone, "link_expired", "This link has expired")
	}
	if r.Locked {
		return errs.New(errs.Locked, "link_locked", "This link is locked after too many wrong passwords; ask %s to unlock it", r.OwnerName)
	}
	return nil
}

// save stores r as changed at now and returns its view.
func (s *Links) save(tx *store.Tx, r Link, now time.Time) (View, error) {
	r.UpdatedAt = now
	if err := putReview(tx, r); err != nil {
		return View{}, err
	}
	return s.reviewView(tx, r), nil
}

func (s *Links) reviewView(tx *store.Tx, r Link) View {
	n := 0
	tx.ScanKeys(store.PrefixReviewItem+r.ID+"/", func(string) error { n++; return nil })
	return View{ID: r.ID, Type: "review_link", Name: r.Name, ShortURL: strings.TrimRight(s.PublicURL, "/") + "/r/" + r.Key,
		Key: r.Key, ProjectID: r.ProjectID, OwnerID: r.OwnerID, OwnerName: r.OwnerName, IsActive: r.open(s.now()) == nil,
		ItemCount: n, ViewCount: r.ViewCount, AllowApprovals: r.AllowApprovals, CurrentVersionOnly: r.CurrentVersionOnly,
		EnableDownloading: r.EnableDownloading, EnableComments: r.EnableComments, ExpiresAt: r.ExpiresAt,
		HasPassword: r.PasswordHash != "", Locked: r.Locked, InsertedAt: r.InsertedAt, UpdatedAt: r.UpdatedAt}
}

func (s *Links) applyReview(r *Link, in Input, hash string, now time.Time) error {
	if in.Name != nil {
		name, err := assets.CleanText("name", *in.Name, 200, true)
		if err != nil {
			return err
		}
		if name == "" {
			return errs.Invalidf("name must not be empty")
		}
		r.Name = name
	}
	for _, f := range []struct {
		in  *bool
		out *bool
	}{{in.AllowApprovals, &r.AllowApprovals}, {in.CurrentVersionOnly, &r.CurrentVersionOnly},
		{in.EnableDownloading, &r.EnableDownloading}, {in.EnableComments, &r.EnableComments}} {
		if f.in != nil {
			*f.out = *f.in
		}
	}
	if in.ExpiresAt.Set {
		if at := in.ExpiresAt.Value; at != nil {
			t := at.UTC()
			if !t.After(now) {
				return errs.Invalidf("expires_at %s is in the past", t.Format(time.RFC3339))
			}
			r.ExpiresAt = &t
		} else {
			r.ExpiresAt = nil
		}
	}
	if hash != "" {
		r.PasswordHash = hash
	}
	if in.RemovePassword {
		r.PasswordHash = ""
	}
	if in.Locked != nil {
		if *in.Locked {
			return errs.Invalidf("links lock themselves after wrong passwords; send locked: false to unlock")
		}
		r.Locked, r.Failures = false, nil
	}
	return nil
}

func (s *Links) passwordOf(in Input) (string, error) {
	if in.Password == nil || *in.Password == "" {
		return "", nil
	}
	if in.RemovePassword {
		return "", errs.Invalidf("send a new password or remove_password, not both")
	}
	return s.HashPassword(*in.Password)
}

// Create makes a review link in a project v can see, with Frame.io's defaults.
func (s *Links) Create(v assets.Viewer, projectID string, in Input) (View, error) {
	p, err := s.Assets.GetProject(v, projectID)
	if err != nil {
		return View{}, err
	}
	hash, err := s.passwordOf(in)
	if err != nil {
		return View{}, err
	}
	set, err := s.Sharing()
	if err != nil {
		return View{}, err
	}
	if set.RequirePassword && hash == "" {
		return View{}, errs.New(errs.Invalid, "password_required", "this site requires a password on every new link, review links included")
	}
	now := s.now()
	r := Link{ID: uuid.NewString(), Key: secure.LinkKey(), ProjectID: p.ID, Name: "New Review Link", AllowApprovals: true,
		EnableDownloading: true, EnableComments: true, OwnerID: v.UserID, OwnerName: v.Name, InsertedAt: now, UpdatedAt: now}
	if err := s.applyReview(&r, in, hash, now); err != nil {
		return View{}, err
	}
	var out View
	err = s.Store.Update(func(tx *store.Tx) error {
		if err := tx.PutLinkKey(r.Key, links.ReviewKind, r.ID); err != nil {
			return err
		}
		if err := putReview(tx, r); err != nil {
			return err
		}
		out = s.reviewView(tx, r)
		return nil
	})
	return out, err
}

// reviewViewFor is r as v sees it: without its key for members who do
// not manage it.
func (s *Links) reviewViewFor(tx *store.Tx, v assets.Viewer, r Link) View {
	out := s.reviewView(tx, r)
	if !s.Policy().MayManageLink(v, r.OwnerID, r.ProjectID) {
		out.Key, out.ShortURL = "", ""
	}
	return out
}

func (s *Links) visibleReview(tx *store.Tx, v assets.Viewer, id string) (Link, error) {
	return links.Visible(tx, s.Assets, v, store.PrefixReviewLink, id, "review link", func(r Link) string { return r.ProjectID })
}

// Get returns review link id.
func (s *Links) Get(v assets.Viewer, id string) (View, error) {
	var out View
	err := s.Store.View(func(tx *store.Tx) error {
		r, err := s.visibleReview(tx, v, id)
		if err == nil {
			out = s.reviewViewFor(tx, v, r)
		}
		return err
	})
	return out, err
}

// List returns the review links of a project ("" for every project v sees), newest first.
func (s *Links) List(v assets.Viewer, projectID string) ([]View, error) {
	seen, err := links.SeenProjects(s.Assets, v)
	if err != nil {
		return nil, err
	}
	if projectID != "" && !seen[projectID] {
		return nil, errs.NotFoundf("project %s not found", projectID)
	}
	out := []View{}
	err = s.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixReviewLink, func(_ string, b []byte) error {
			var r Link
			if err := json.Unmarshal(b, &r); err != nil {
				return err
			}
			if seen[r.ProjectID] && (projectID == "" || r.ProjectID == projectID) {
				out = append(out, s.reviewViewFor(tx, v, r))
			}
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].InsertedAt.After(out[j].InsertedAt) })
	return out, err
}

// Update changes review link id.
func (s *Links) Update(v assets.Viewer, id string, in Input) (View, error) {
	hash, err := s.passwordOf(in)
	if err != nil {
		return View{}, err
	}
	var out View
	err = s.Store.Update(func(tx *store.Tx) error {
		r, err := s.managedReview(tx, v, id)
		if err != nil {
			return err
		}
		now := s.now()
		if in.RemovePassword && r.PasswordHash != "" {
			set, err := links.LoadSharing(tx)
			if err != nil {
				return err
			}
			if set.RequirePassword {
				return errs.New(errs.Invalid, "password_required", "this site requires a password on every link; set a new password instead of removing it")
			}
		}
		if hash != "" {
			// Who unlocked with the old password must give the new one.
			if err := links.EndSessions(tx, r.ID); err != nil {
				return err
			}
		}
		if err := s.applyReview(&r, in, hash, now); err != nil {
			return err
		}
		out, err = s.save(tx, r, now)
		return err
	})
	return out, err
}

// Delete removes review link id and its items; comments stay on the assets.
func (s *Links) Delete(v assets.Viewer, id string) error {
	return s.Store.Update(func(tx *store.Tx) error {
		r, err := s.managedReview(tx, v, id)
		if err != nil {
			return err
		}
		var keys []string
		tx.ScanKeys(store.PrefixReviewItem+r.ID+"/", func(k string) error { keys = append(keys, k); return nil })
		tx.ScanKeys(store.PrefixShareLog+r.ID+"/", func(k string) error { keys = append(keys, k); return nil })
		for _, k := range append(keys, store.PrefixLinkKey+r.Key, store.PrefixReviewLink+r.ID) {
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}
