package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/errs"
)

// collaboratorUser is the part of a user a project's collaborators see:
// the address only for admins and the project's owner, who manage members.
type collaboratorUser struct {
	ID    string `json:"id"`
	Type  string `json:"_type"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
}

// collaborator is Frame.io v2's project collaborator.
type collaborator struct {
	Type      string           `json:"_type"`
	ProjectID string           `json:"project_id"`
	UserID    string           `json:"user_id"`
	Email     string           `json:"email,omitempty"`
	Role      string           `json:"role"` // owner or member
	User      collaboratorUser `json:"user"`
}

// collaborators is v2's GET /projects/{id}/collaborators: the project's
// owner and members (disabled accounts left out), for whoever sees the
// project.
func (a *PrivilegesAPI) collaborators(c *fiber.Ctx, p *Principal) error {
	pr, err := a.Assets.GetProject(viewer(p), c.Params("id"))
	if err != nil {
		return err
	}
	manager := p.User.IsAdmin() || pr.OwnerID == p.User.ID
	out := []collaborator{}
	seen := map[string]bool{}
	for i, id := range append([]string{pr.OwnerID}, pr.MemberIDs...) {
		if seen[id] {
			continue
		}
		seen[id] = true
		u, err := a.Auth.GetUser(id)
		if err != nil || u.Disabled {
			continue // a removed or disabled account collaborates no more
		}
		cu := collaboratorUser{ID: u.ID, Type: "user", Name: u.Name}
		if manager {
			cu.Email = u.Email
		}
		role := "member"
		if i == 0 {
			role = "owner"
		}
		out = append(out, collaborator{Type: "collaborator", ProjectID: pr.ID, UserID: u.ID, Email: cu.Email, Role: role, User: cu})
	}
	return replyPage(c, out, nil)
}

// addCollaborator is v2's POST /projects/{id}/collaborators {"email"}
// (the SDK's projects.add_collaborator): the Ferry user with that address
// becomes a member of the project. Ferry invites no one by mail here:
// admins add users first.
func (a *PrivilegesAPI) addCollaborator(c *fiber.Ctx, p *Principal) error {
	var req model.NewCollaborator
	if err := decodeV2(c, a.jsonLimit, &req, nil); err != nil {
		return err
	}
	return a.setCollaborator(c, p, req.Email, true)
}

// removeCollaborator is v2's DELETE /projects/{id}/collaborators/_?email=
// (the SDK's projects.remove_collaborator), or .../collaborators/{user_id}.
func (a *PrivilegesAPI) removeCollaborator(c *fiber.Ctx, p *Principal) error {
	if uid := c.Params("user"); uid != "_" {
		u, err := a.Auth.GetUser(uid)
		if err != nil {
			return errs.NotFoundf("no collaborator %s", uid)
		}
		return a.setCollaborator(c, p, u.Email, false)
	}
	return a.setCollaborator(c, p, c.Query("email"), false)
}

func (a *PrivilegesAPI) setCollaborator(c *fiber.Ctx, p *Principal, email string, member bool) error {
	if email == "" {
		return errs.Invalidf("email is required: the collaborator's address")
	}
	v := viewer(p)
	pr, err := a.Assets.GetProject(v, c.Params("id"))
	if err != nil {
		return err
	}
	// Only who manages members learns whether an address is a user.
	if !p.User.IsAdmin() && pr.OwnerID != p.User.ID {
		return errs.Forbiddenf("only the project owner or an admin may change its members")
	}
	u, err := a.Auth.UserByEmail(email)
	if err != nil || u.Disabled {
		return errs.NotFoundf("no Ferry user has the address %s; an admin adds users (/api/v2/users)", email)
	}
	pr, err = a.Assets.SetMember(v, pr.ID, u.ID, member)
	if err != nil {
		return err
	}
	// The collaborator added, or (as v2's DELETEs answer) the one removed.
	cu := collaboratorUser{ID: u.ID, Type: "user", Name: u.Name, Email: u.Email}
	return c.JSON(collaborator{Type: "collaborator", ProjectID: pr.ID, UserID: u.ID, Email: u.Email, Role: "member", User: cu})
}
