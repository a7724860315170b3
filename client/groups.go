package client

import "github.com/ferryhq/ferry/model"

// Groups lists the groups (admins).
func (c *Client) Groups() ([]model.Group, error) {
	var out []model.Group
	return out, c.get(path("groups"), &out)
}

// CreateGroup makes a group (admins).
func (c *Client) CreateGroup(in model.GroupPatch) (model.Group, error) {
	var out model.Group
	return out, c.post(path("groups"), in, &out)
}

// UpdateGroup renames a group or replaces its members (admins).
func (c *Client) UpdateGroup(id string, in model.GroupPatch) (model.Group, error) {
	var out model.Group
	return out, c.put(path("groups", id), in, &out)
}

// DeleteGroup removes a group; its members lose what it gave them (admins).
func (c *Client) DeleteGroup(id string) error { return c.del(path("groups", id)) }

// GroupPrivileges lists a group's folder privileges (admins).
func (c *Client) GroupPrivileges(groupID string) ([]model.Privilege, error) {
	var out []model.Privilege
	return out, c.get(path("groups", groupID, "privileges"), &out)
}

// SetGroupPrivilege sets what a group's members may do in a folder and
// below it (admins): in's Access and Share.
func (c *Client) SetGroupPrivilege(groupID, folderID string, in model.Privilege) (model.Privilege, error) {
	var out model.Privilege
	return out, c.put(path("groups", groupID, "privileges", folderID), in, &out)
}

// DeleteGroupPrivilege takes a group's privilege on a folder away (admins).
func (c *Client) DeleteGroupPrivilege(groupID, folderID string) error {
	return c.del(path("groups", groupID, "privileges", folderID))
}

// FolderPermissions lists who holds privileges on a folder, set there or
// inherited from above (admins).
func (c *Client) FolderPermissions(folderID string) ([]model.FolderPermission, error) {
	var out []model.FolderPermission
	return out, c.get(path("assets", folderID, "permissions"), &out)
}
