package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/links"
	"github.com/ferryhq/ferry/server/store"
	"github.com/ferryhq/ferry/server/uploads"
)

// The public side of every kind of link. Share, review and upload links
// share one key space: links.KindOf names the kind a key opens and that
// kind's door answers. What a door can do beyond its page is checked by
// interface, the way tusd's StoreComposer composes a store's capabilities,
// so no route switches on the kind.

// linkDoor is one kind of link's public side: its page.
type linkDoor interface {
	page(c *fiber.Ctx) error
}

// linkPassword is a door with a password (share and review links).
type linkPassword interface {
	unlock(c *fiber.Ctx, password string) error
}

// linkPasscode is a door with a passcode (upload links).
type linkPasscode interface {
	unlockPasscode(c *fiber.Ctx, passcode string) error
}

// linkFiles is a door whose files are served at .../assets/{id}/{name}.
type linkFiles interface {
	file(c *fiber.Ctx) error
}

// linkReviewers is a door whose visitors give their name.
type linkReviewers interface {
	reviewer(c *fiber.Ctx) error
}

// linkRegistration is a door that may ask visitors to register.
type linkRegistration interface {
	register(c *fiber.Ctx) error
}

// linkUploads is a door tus uploads may come through (LinkHeader).
type linkUploads interface {
	uploadPolicy(s *Server, c *fiber.Ctx, key string) (uploads.Policy, error)
}

// publicLinks serves /api/v2/public/links/{key} by asking the key space
// which door key opens.
type publicLinks struct {
	store     *store.Store
	doors     map[string]linkDoor
	jsonLimit int64
	kinds     store.Kept[string] // kind by key, while the database stays
}

// publicLinks is the door of each kind of link the server has handlers for.
func (s *Server) publicLinks() *publicLinks {
	h := s.Handlers
	p := &publicLinks{doors: map[string]linkDoor{}, jsonLimit: s.Config.Limits.MaxJSONBytes}
	if h.ShareLinks != nil {
		p.store = h.ShareLinks.Links.Store
		p.doors[links.ShareKind] = h.ShareLinks
	}
	if h.ReviewLinks != nil {
		p.doors[links.ReviewKind] = h.ReviewLinks
	}
	if h.UploadLinks != nil {
		p.doors[links.UploadKind] = h.UploadLinks
	}
	return p
}

// door is what key opens, and whether it opens anything. A key that opens
// nothing gets the share door, whose answers for unknown keys are the 404s
// visitors have always had.
func (p *publicLinks) door(key string) (linkDoor, bool) {
	if p.store != nil {
		kind, _ := p.kinds.Get(p.store.Changes, key, time.Time{}, func() (string, time.Time, bool, error) {
			return links.KindOf(p.store, key), time.Time{}, true, nil
		})
		if d, ok := p.doors[kind]; ok {
			return d, true
		}
	}
	return p.doors[links.ShareKind], false
}

func (p *publicLinks) page(c *fiber.Ctx, _ *Principal) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	d, _ := p.door(c.Params("key"))
	if d == nil {
		return links.NotFound()
	}
	return d.page(c)
}

// unlock takes the secret of the door's kind; the other field of
// model.Unlock is refused, as a strict decode of that kind's own body would.
// The answer holds what the secret opened: never kept.
func (p *publicLinks) unlock(c *fiber.Ctx, _ *Principal) error {
	d, _ := p.door(c.Params("key"))
	pw, password := d.(linkPassword)
	pc, passcode := d.(linkPasscode)
	if !password && !passcode {
		return links.NotFound()
	}
	var in model.Unlock
	if err := decode(c, p.jsonLimit, &in); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if password {
		if err := refuseField("passcode", in.Passcode); err != nil {
			return err
		}
		return pw.unlock(c, in.Password)
	}
	if err := refuseField("password", in.Password); err != nil {
		return err
	}
	return pc.unlockPasscode(c, in.Passcode)
}

func (p *publicLinks) file(c *fiber.Ctx, _ *Principal) error {
	d, _ := p.door(c.Params("key"))
	f, ok := d.(linkFiles)
	if !ok {
		return links.NotFound()
	}
	return f.file(c)
}

func (p *publicLinks) reviewer(c *fiber.Ctx, _ *Principal) error {
	d, _ := p.door(c.Params("key"))
	r, ok := d.(linkReviewers)
	if !ok {
		return links.NotFound()
	}
	return r.reviewer(c)
}

func (p *publicLinks) register(c *fiber.Ctx, _ *Principal) error {
	d, _ := p.door(c.Params("key"))
	r, ok := d.(linkRegistration)
	if !ok {
		return links.NotFound()
	}
	return r.register(c)
}

// uploadPolicy is the policy of a tus request made through the link with
// key (LinkHeader), from the door that takes uploads.
func (p *publicLinks) uploadPolicy(s *Server, c *fiber.Ctx, key string) (uploads.Policy, error) {
	d, known := p.door(key)
	u, ok := d.(linkUploads)
	if !ok || !known {
		return uploads.Policy{}, errs.NotFoundf("this link does not exist")
	}
	return u.uploadPolicy(s, c, key)
}

// refuseField refuses a field of model.Unlock the door does not take.
func refuseField(name, value string) error {
	if value == "" {
		return nil
	}
	return errs.New(errs.Invalid, "invalid_json", "unknown field %q", name)
}
