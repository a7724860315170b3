package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/auth"
	"github.com/ferryhq/ferry/server/groups"
)

// PrivilegesAPI serves members' folder privileges: admins set them per
// user and folder; members read their own rights on an asset.
type PrivilegesAPI struct {
	Assets *assets.Service
	Auth   *auth.Service
	Groups *groups.Service

	jsonLimit int64
}

func (a *PrivilegesAPI) list(c *fiber.Ctx, p *Principal) error {
	u, err := a.Auth.GetUser(c.Params("id"))
	if err != nil {
		return err
	}
	items, err := a.Assets.Privileges(u.ID)
	return replyPage(c, items, err)
}

func (a *PrivilegesAPI) set(c *fiber.Ctx, p *Principal) error {
	u, err := a.Auth.GetUser(c.Params("id"))
	if err != nil {
		return err
	}
	return a.setFor(c, p, u.ID)
}

// setFor records holder's (a user id or assets.GroupHolder) privilege on
// the folder in the path.
func (a *PrivilegesAPI) setFor(c *fiber.Ctx, p *Principal, holder string) error {
	var req model.PrivilegeInput
	if err := decode(c, a.jsonLimit, &req); err != nil {
		return err
	}
	rights := assets.Rights{Access: req.Access, Share: req.Share == nil || *req.Share}
	v, err := a.Assets.SetPrivilege(viewer(p), holder, c.Params("folder_id"), rights)
	return reply(c, fiber.StatusOK, v, err)
}

func (a *PrivilegesAPI) remove(c *fiber.Ctx, p *Principal) error {
	u, err := a.Auth.GetUser(c.Params("id"))
	if err != nil {
		return err
	}
	return noContent(c, a.Assets.DeletePrivilege(viewer(p), u.ID, c.Params("folder_id")))
}

func (a *PrivilegesAPI) mine(c *fiber.Ctx, p *Principal) error {
	v, err := a.Assets.Rights(viewer(p), c.Params("id"))
	return reply(c, fiber.StatusOK, v, err)
}
