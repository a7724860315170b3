package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/people"
)

// The People view of a project, for its members and admins: who is in the
// photos they may see, named, merged, split and hidden by them. Face
// search must be on; the photos are decided by server/access.

// projectPhotos is the one gate of the people routes: face search is on,
// and the caller sees the project; the answer is the project's photos
// with faces that the caller may look at.
func (a *FacesAPI) projectPhotos(c *fiber.Ctx, p *Principal) (string, []string, error) {
	if !a.People.Enabled() {
		return "", nil, people.ErrOff
	}
	project := c.Params("id")
	ids, err := access.New(a.Assets.Store, a.Assets).ProjectPhotos(viewer(p), project, a.People.PhotosIn(project))
	return project, ids, err
}

func projectPerson(project string, sm people.Summary) model.ProjectPerson {
	return model.ProjectPerson{ID: sm.ID, ProjectID: project, Name: sm.Name, Hidden: sm.Hidden, Photos: sm.Photos,
		Faces: sm.Faces, CoverURL: "/api/v2/projects/" + project + "/faces/" + sm.Cover.ID()}
}

func (a *FacesAPI) listPeople(c *fiber.Ctx, p *Principal) error {
	project, ids, err := a.projectPhotos(c, p)
	if err != nil {
		return err
	}
	all, err := a.People.People(project, ids, c.Query("hidden") == "true")
	if err != nil {
		return err
	}
	out := make([]model.ProjectPerson, len(all))
	for i, sm := range all {
		out[i] = projectPerson(project, sm)
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return replyPage(c, out, nil)
}

func (a *FacesAPI) getPerson(c *fiber.Ctx, p *Principal) error {
	project, ids, err := a.projectPhotos(c, p)
	if err != nil {
		return err
	}
	sm, fs, photos, err := a.People.Person(project, c.Params("person"), ids)
	if err != nil {
		return err
	}
	out := model.PersonDetail{Person: projectPerson(project, sm), Faces: []model.PersonFace{}, AssetIDs: photos}
	for _, f := range fs {
		out.Faces = append(out.Faces, model.PersonFace{ID: f.ID(), AssetID: f.AssetID,
			ThumbURL: "/api/v2/projects/" + project + "/faces/" + f.ID()})
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.JSON(out)
}

func (a *FacesAPI) updatePerson(c *fiber.Ctx, p *Principal) error {
	var req model.PersonPatch
	if err := decode(c, 4<<10, &req); err != nil {
		return err
	}
	if req.Name == nil && req.Hidden == nil {
		return errs.Invalidf("send a name, hidden, or both")
	}
	project, ids, err := a.projectPhotos(c, p)
	if err != nil {
		return err
	}
	sm, err := a.People.Update(project, c.Params("person"), ids, req.Name, req.Hidden)
	return reply(c, fiber.StatusOK, projectPerson(project, sm), err)
}

func (a *FacesAPI) mergePerson(c *fiber.Ctx, p *Principal) error {
	var req model.PersonMerge
	if err := decode(c, 1<<10, &req); err != nil {
		return err
	}
	if req.PersonID == "" {
		return errs.Invalidf("send {\"person_id\": ...}: the person to merge into this one")
	}
	project, ids, err := a.projectPhotos(c, p)
	if err != nil {
		return err
	}
	sm, err := a.People.Merge(project, c.Params("person"), req.PersonID, ids)
	return reply(c, fiber.StatusOK, projectPerson(project, sm), err)
}

func (a *FacesAPI) splitFace(c *fiber.Ctx, p *Principal) error {
	project, ids, err := a.projectPhotos(c, p)
	if err != nil {
		return err
	}
	sm, err := a.People.Split(project, c.Params("face"), ids)
	return reply(c, fiber.StatusCreated, projectPerson(project, sm), err)
}

func (a *FacesAPI) projectCrop(c *fiber.Ctx, p *Principal) error {
	_, ids, err := a.projectPhotos(c, p)
	if err != nil {
		return err
	}
	return a.sendCrop(c, ids, "this project's photos")
}
