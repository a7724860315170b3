package api

import (
	"crypto/hmac"
	"crypto/sha256"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
)

// Frame.io v2 scripts start from an account and its teams
// (me → account_id → teams → projects). A Ferry instance is one account
// with one team, whose projects are Ferry's projects as the viewer may see
// them.

// Account is the one Frame.io v2 account and team of this instance.
type Account struct {
	ID     string
	TeamID string
}

// AccountOf derives the instance's account and team ids from its secret
// key: stable across restarts and restores (the key is in the backup),
// and revealing nothing of the key.
func AccountOf(secret []byte) Account {
	id := func(what string) string {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte("frameio v2 " + what))
		return uuid.NewSHA1(uuid.Nil, m.Sum(nil)).String()
	}
	return Account{ID: id("account"), TeamID: id("team")}
}

type v2Account struct {
	ID          string `json:"id"`
	Type        string `json:"_type"`
	DisplayName string `json:"display_name"`
}

type v2Team struct {
	ID        string `json:"id"`
	Type      string `json:"_type"`
	Name      string `json:"name"`
	AccountID string `json:"account_id"`
}

// v2Project is a project as the team routes answer it: Ferry's fields
// plus Frame.io's team_id and _type.
type v2Project struct {
	assets.Project
	Type   string `json:"_type"`
	TeamID string `json:"team_id"`
}

func (a *AssetsAPI) v2Account() v2Account {
	return v2Account{ID: a.account.ID, Type: "account", DisplayName: a.siteName}
}

func (a *AssetsAPI) v2Team() v2Team {
	return v2Team{ID: a.account.TeamID, Type: "team", Name: a.siteName, AccountID: a.account.ID}
}

func (a *AssetsAPI) accountParam(c *fiber.Ctx) error {
	if c.Params("id") != a.account.ID {
		return errs.NotFoundf("no account %s here: this Ferry is one account, %s", c.Params("id"), a.account.ID)
	}
	return nil
}

func (a *AssetsAPI) teamParam(c *fiber.Ctx) error {
	if c.Params("id") != a.account.TeamID {
		return errs.NotFoundf("no team %s here: this Ferry is one team, %s", c.Params("id"), a.account.TeamID)
	}
	return nil
}

func (a *AssetsAPI) listAccounts(c *fiber.Ctx, _ *Principal) error {
	return replyPage(c, []v2Account{a.v2Account()}, nil)
}

func (a *AssetsAPI) getAccount(c *fiber.Ctx, _ *Principal) error {
	return reply(c, fiber.StatusOK, a.v2Account(), a.accountParam(c))
}

func (a *AssetsAPI) accountTeams(c *fiber.Ctx, _ *Principal) error {
	return replyPage(c, []v2Team{a.v2Team()}, a.accountParam(c))
}

func (a *AssetsAPI) listTeams(c *fiber.Ctx, _ *Principal) error {
	return replyPage(c, []v2Team{a.v2Team()}, nil)
}

func (a *AssetsAPI) getTeam(c *fiber.Ctx, _ *Principal) error {
	return reply(c, fiber.StatusOK, a.v2Team(), a.teamParam(c))
}

func (a *AssetsAPI) teamProjects(c *fiber.Ctx, p *Principal) error {
	if err := a.teamParam(c); err != nil {
		return err
	}
	items, err := a.Assets.ListProjects(viewer(p))
	out := make([]v2Project, len(items))
	for i, pr := range items {
		out[i] = a.v2Project(pr)
	}
	return replyPage(c, out, err)
}

func (a *AssetsAPI) v2Project(pr assets.Project) v2Project {
	return v2Project{Project: pr, Type: "project", TeamID: a.account.TeamID}
}

func (a *AssetsAPI) createTeamProject(c *fiber.Ctx, p *Principal) error {
	if err := a.teamParam(c); err != nil {
		return err
	}
	pr, err := a.newProject(c, p)
	return reply(c, fiber.StatusCreated, a.v2Project(pr), err)
}
