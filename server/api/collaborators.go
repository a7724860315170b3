package api

import (
	"github.com/gofiber/fiber/v2"
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
