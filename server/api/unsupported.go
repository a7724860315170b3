package api

import (
	"regexp"

	"github.com/ferryhq/ferry/server/errs"
)

// Frame.io v2 routes that have no meaning in Ferry, with why: a v2 script
// that calls one learns it from the answer (404 not_supported) instead of
// a bare "no API endpoint". The README lists them.
var unsupportedV2 = []struct {
	path *regexp.Regexp
	why  string
}{
	{regexp.MustCompile(`^/api/v2/accounts/[^/]+/teams$`), "an instance is one account with one team; teams are not made or removed"},
	{regexp.MustCompile(`^/api/v2/teams/[^/]+$`), "the one team is not edited or removed; its name is the site name (settings)"},
	{regexp.MustCompile(`^/api/v2/teams/[^/]+/(members|membership|membership_requests)(/.*)?$`), "team membership is Ferry's user list (/api/v2/users) and each project's member_ids"},
	{regexp.MustCompile(`^/api/v2/accounts/[^/]+/(membership|members|pending_collaborators)(/.*)?$`), "account membership is Ferry's user list (/api/v2/users)"},
	{regexp.MustCompile(`^/api/v2/projects/[^/]+/pending_collaborators(/.*)?$`), "Ferry sends no invitations: collaborators are users an admin added (/api/v2/users)"},
	{regexp.MustCompile(`^/api/v2/(teams/[^/]+/hooks|accounts/[^/]+/webhooks|hooks)(/.*)?$`), "Ferry has no webhooks"},
	{regexp.MustCompile(`^/api/v2/(teams/[^/]+/actions|actions)(/.*)?$`), "Ferry has no custom actions"},
	{regexp.MustCompile(`^/api/v2/(projects/[^/]+/presentations|assets/[^/]+/presentations|presentations)(/.*)?$`), "presentations are share links in Ferry (/api/v2/share_links)"},
	{regexp.MustCompile(`^/api/v2/(assets/[^/]+/bundle|assets/[^/]+/realtime_upload)(/.*)?$`), "Ferry has no bundles or camera-to-cloud uploads"},
	{regexp.MustCompile(`^/api/v2/accounts/[^/]+/(billing|subscription|plan|storage)(/.*)?$`), "a self-hosted Ferry has no plans or billing"},
}

// notSupported is the answer for a v2 route Ferry does not have, naming
// why when it is one of unsupportedV2.
func notSupported(method, path string) error {
	for _, u := range unsupportedV2 {
		if u.path.MatchString(path) {
			return errs.New(errs.NotFound, "not_supported", "%s %s is not supported by Ferry: %s", method, path, u.why)
		}
	}
	return errs.NotFoundf("no API endpoint %s %s", method, path)
}
