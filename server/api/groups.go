package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/assets"
)

// Groups (Settings → Groups) and folder permissions, for admins: a
// group's folder privileges hold for each of its members.

func (a *PrivilegesAPI) listGroups(c *fiber.Ctx, p *Principal) error {
	if err := access.ManageGroups(viewer(p)); err != nil {
		return err
	}
	items, err := a.Groups.List()
	return replyPage(c, items, err)
}

func (a *PrivilegesAPI) getGroup(c *fiber.Ctx, p *Principal) error {
	if err := access.ManageGroups(viewer(p)); err != nil {
		return err
	}
	g, err := a.Groups.Get(c.Params("id"))
	return reply(c, fiber.StatusOK, g, err)
}

func (a *PrivilegesAPI) createGroup(c *fiber.Ctx, p *Principal) error {
	if err := access.ManageGroups(viewer(p)); err != nil {
		return err
	}
	var req model.GroupPatch
	if err := decode(c, a.jsonLimit, &req); err != nil {
		return err
	}
	g, err := a.Groups.Create(req)
	return reply(c, fiber.StatusCreated, g, err)
}

func (a *PrivilegesAPI) updateGroup(c *fiber.Ctx, p *Principal) error {
	if err := access.ManageGroups(viewer(p)); err != nil {
		return err
	}
	var req model.GroupPatch
	if err := decode(c, a.jsonLimit, &req); err != nil {
		return err
	}
	g, err := a.Groups.Update(c.Params("id"), req)
	return reply(c, fiber.StatusOK, g, err)
}

func (a *PrivilegesAPI) deleteGroup(c *fiber.Ctx, p *Principal) error {
	if err := access.ManageGroups(viewer(p)); err != nil {
		return err
	}
	id := c.Params("id")
	if err := a.Groups.Delete(id); err != nil {
		return err
	}
	return noContent(c, a.Assets.DropHolder(assets.GroupHolder(id)))
}

// groupHolder is the privilege holder of the group in the path.
func (a *PrivilegesAPI) groupHolder(c *fiber.Ctx) (string, error) {
	g, err := a.Groups.Get(c.Params("id"))
	return assets.GroupHolder(g.ID), err
}

func (a *PrivilegesAPI) groupPrivileges(c *fiber.Ctx, p *Principal) error {
	h, err := a.groupHolder(c)
	if err != nil {
		return err
	}
	items, err := a.Assets.Privileges(h)
	return replyPage(c, items, err)
}

func (a *PrivilegesAPI) setGroupPrivilege(c *fiber.Ctx, p *Principal) error {
	h, err := a.groupHolder(c)
	if err != nil {
		return err
	}
	return a.setFor(c, p, h)
}

func (a *PrivilegesAPI) removeGroupPrivilege(c *fiber.Ctx, p *Principal) error {
	h, err := a.groupHolder(c)
	if err != nil {
		return err
	}
	return noContent(c, a.Assets.DeletePrivilege(viewer(p), h, c.Params("folder_id")))
}

// folderPermissions is a folder's Permissions dialog: users and groups
// with a record on it or inherited from above, with their names.
func (a *PrivilegesAPI) folderPermissions(c *fiber.Ctx, p *Principal) error {
	items, err := a.Assets.FolderPermissions(viewer(p), c.Params("id"))
	if err != nil {
		return err
	}
	for i := range items {
		it := &items[i]
		if it.HolderType == model.HolderGroup {
			if g, err := a.Groups.Get(it.HolderID); err == nil {
				it.Name = g.Name
			}
			continue
		}
		if u, err := a.Auth.GetUser(it.HolderID); err == nil {
			it.Name, it.Email = u.Name, u.Email
		}
	}
	return replyPage(c, items, nil)
}
