package api

import (
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
)

// Frame.io v2 library search: GET /search/library?query= (or q=), and the
// SDK's POST /search/library {"q", "account_id", "filter", "sort", "page",
// "page_size"} (model.SearchRequest). Ferry searches names within the projects
// the caller sees.

func (a *AssetsAPI) searchGet(c *fiber.Ctx, p *Principal) error {
	req := model.SearchRequest{Q: c.Query("q"), Query: c.Query("query"), AccountID: c.Query("account_id"),
		TeamID: c.Query("team_id"), Sort: c.Query("sort"), Filter: map[string]model.SearchFilter{}}
	for _, k := range []string{"project_id", "type"} {
		if v := c.Query(k); v != "" {
			req.Filter[k] = model.SearchFilter{Op: "eq", Value: v}
		}
	}
	page, size, err := pageParams(c)
	if err != nil {
		return err
	}
	return a.search(c, p, req, page, size)
}

func (a *AssetsAPI) searchPost(c *fiber.Ctx, p *Principal) error {
	var req model.SearchRequest
	if err := decode(c, a.jsonLimit, &req); err != nil {
		return err
	}
	page, size := 1, 50
	if req.Page != nil {
		if page = *req.Page; page < 1 {
			return errs.Invalidf("page must be a positive integer")
		}
	}
	if req.PageSize != nil {
		if size = *req.PageSize; size < 1 || size > 1000 {
			return errs.Invalidf("page_size must be 1 to 1000")
		}
	}
	return a.search(c, p, req, page, size)
}

func (a *AssetsAPI) search(c *fiber.Ctx, p *Principal, req model.SearchRequest, page, size int) error {
	if req.AccountID != "" && req.AccountID != a.account.ID {
		return errs.NotFoundf("no account %s here: this Ferry is one account, %s", req.AccountID, a.account.ID)
	}
	if req.TeamID != "" && req.TeamID != a.account.TeamID {
		return errs.NotFoundf("no team %s here: this Ferry is one team, %s", req.TeamID, a.account.TeamID)
	}
	q := assets.SearchQuery{Text: req.Q}
	if req.Query != "" {
		q.Text = req.Query
	}
	for k, f := range req.Filter {
		if f.Op != "eq" || (k != "project_id" && k != "type") {
			return errs.New(errs.Invalid, "not_supported", "search filter %s %s is not supported by Ferry: filter on project_id or type, with op eq", k, f.Op)
		}
		if k == "project_id" {
			q.ProjectID = f.Value
		} else {
			q.Type = f.Value
		}
	}
	less, err := searchOrder(req.Sort)
	if err != nil {
		return err
	}
	found, err := a.Assets.Search(viewer(p), q)
	if err != nil {
		return err
	}
	if less != nil {
		sort.SliceStable(found, func(i, j int) bool { return less(found[i], found[j]) })
	}
	setPageHeaders(c, len(found), page, size)
	start := min((page-1)*size, len(found))
	items := found[start:min(len(found), start+size)]
	a.frameioList(c, p, items)
	return c.JSON(items)
}

// searchOrder reads v2's sort: a field, "-" first for descending. Nil
// keeps the order by name.
func searchOrder(s string) (func(x, y assets.Asset) bool, error) {
	desc := strings.HasPrefix(s, "-")
	var less func(x, y assets.Asset) bool
	switch strings.TrimPrefix(s, "-") {
	case "", "name":
		if !desc {
			return nil, nil
		}
		less = func(x, y assets.Asset) bool { return strings.ToLower(x.Name) < strings.ToLower(y.Name) }
	case "inserted_at":
		less = func(x, y assets.Asset) bool { return x.InsertedAt.Before(y.InsertedAt) }
	case "updated_at":
		less = func(x, y assets.Asset) bool { return x.UpdatedAt.Before(y.UpdatedAt) }
	case "filesize":
		less = func(x, y assets.Asset) bool { return x.Filesize < y.Filesize }
	default:
		return nil, errs.Invalidf("sort %q: name, inserted_at, updated_at or filesize, with - first for descending", s)
	}
	if desc {
		return func(x, y assets.Asset) bool { return less(y, x) }, nil
	}
	return less, nil
}
