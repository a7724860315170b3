package api

import (
	"bytes"
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/links/share"
	"github.com/ferryhq/ferry/server/people"
)

// FacesAPI serves face search: the site setting and its purge to admins,
// and to visitors of a link that allows it the face strip, the photos of a
// person and the selfie search, always over the files the link shows now.
type FacesAPI struct {
	People *people.Service
	Links  *share.Service
	Assets *assets.Service // the People view's access decisions (server/access)
}

func (a *FacesAPI) settings(c *fiber.Ctx, _ *Principal) error {
	st, err := a.People.Status()
	return reply(c, fiber.StatusOK, st, err)
}

func (a *FacesAPI) setSettings(c *fiber.Ctx, _ *Principal) error {
	var req model.FaceSearchSwitch
	if err := decode(c, 1<<10, &req); err != nil {
		return err
	}
	if req.Enabled == nil {
		return errs.Invalidf("send {\"enabled\": true} or {\"enabled\": false}")
	}
	st, err := a.People.SetEnabled(*req.Enabled)
	return reply(c, fiber.StatusOK, st, err)
}

func (a *FacesAPI) purge(c *fiber.Ctx, _ *Principal) error {
	st, err := a.People.Purge()
	return reply(c, fiber.StatusOK, st, err)
}

// photos is the one gate of the public routes: the link must be open to
// this visitor (share.Service.Access) and offer search by people; the answer is
// the photos it shows now, the only ones whose faces may be reached.
func (a *FacesAPI) photos(c *fiber.Ctx) ([]string, error) {
	_, ids, err := a.linkPhotos(c)
	return ids, err
}

func (a *FacesAPI) linkPhotos(c *fiber.Ctx) (share.Link, []string, error) {
	l, err := a.Links.Access(c.Params("key"), visitor(c))
	if err != nil {
		return l, nil, err
	}
	ids, err := a.Links.FaceSearchPhotos(l)
	return l, ids, err
}

// PeopleStrip is model.PeopleStrip, the face strip of a link.
type PeopleStrip = model.PeopleStrip

// PersonTile is model.PersonTile, one person of the strip.
type PersonTile = model.PersonTile

// PeoplePhotos is model.PeoplePhotos, the photos of the link that matched.
type PeoplePhotos = model.PeoplePhotos

func (a *FacesAPI) strip(c *fiber.Ctx, _ *Principal) error {
	l, ids, err := a.linkPhotos(c)
	if err != nil {
		return err
	}
	strip, err := a.People.Strip(l.ProjectID, ids)
	if err != nil {
		return err
	}
	out := PeopleStrip{People: []PersonTile{}}
	for _, p := range strip {
		t := PersonTile{ID: p.ID, Photos: p.Photos, ThumbURL: "/api/v2/public/links/" + c.Params("key") + "/faces/" + p.FaceID}
		if l.ShowPersonNames { // names only where the link's owner allows them
			t.Name = p.Name
		}
		out.People = append(out.People, t)
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.JSON(out)
}

func (a *FacesAPI) person(c *fiber.Ctx, _ *Principal) error {
	l, ids, err := a.linkPhotos(c)
	if err != nil {
		return err
	}
	photos, err := a.People.PhotosOf(l.ProjectID, c.Params("person"), ids)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.JSON(PeoplePhotos{AssetIDs: photos})
}

func (a *FacesAPI) crop(c *fiber.Ctx, _ *Principal) error {
	ids, err := a.photos(c)
	if err != nil {
		return err
	}
	return a.sendCrop(c, ids, "this link")
}

// sendCrop sends the crop of the face in the route among the photos ids
// (those of where: a link, a project), never kept by a cache.
func (a *FacesAPI) sendCrop(c *fiber.Ctx, ids []string, where string) error {
	f, ok := a.People.FaceIn(c.Params("face"), ids)
	if !ok {
		return errs.NotFoundf("no such face in %s", where)
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return sendBlob(c, a.People.Blobs, Download{Key: people.CropKey(f), Name: "face.jpg", Type: "image/jpeg"})
}

func (a *FacesAPI) selfie(c *fiber.Ctx, _ *Principal) error {
	ids, err := a.photos(c)
	if err != nil {
		return err
	}
	var body io.Reader = bytes.NewReader(c.Body())
	if c.Request().IsBodyStream() {
		body = c.Context().RequestBodyStream()
	}
	matched, err := a.People.Selfie(c.Context(), body, c.IP(), ids)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.JSON(PeoplePhotos{AssetIDs: matched})
}
