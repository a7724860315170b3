package api

// Handlers are the groups of handlers the route table dispatches to; serve
// builds them over the domain services.
type Handlers struct {
	Assets      *AssetsAPI
	Mail        *MailAPI
	UploadLinks *UploadLinksAPI
	ReviewLinks *ReviewLinksAPI
	ShareLinks  *ShareLinksAPI
	Privileges  *PrivilegesAPI
	Visitors    *ShareVisitorAPI
	Faces       *FacesAPI
}

// table is every route of the API, in the order fiber matches them: one
// line per route gives its method, path, token scope, who may call it, the
// summary /api/v2/openapi.json shows and the handler. (tus at TusPath is a
// protocol of its own, mounted beside the table.)
func (s *Server) table() []Route {
	h := s.Handlers
	pub := s.publicLinks()
	return []Route{
		// Frame.io upload_urls and original: signed URLs, no token.
		{"PUT", partsPath + ":id/:index", "", Public, "Frame.io upload_urls: one part of a file (signed URL, no token)", h.Assets.putPart},
		{"GET", originalPath + ":id", "", Public, "Frame.io original: the original by signed URL (Range, no token)", h.Assets.signedOriginal},
		{"HEAD", originalPath + ":id", "", Public, "Headers of the original by signed URL", h.Assets.signedOriginal},

		// Frame.io v2 accounts and teams: this instance is one account and one team.
		{"GET", "/api/v2/accounts", "projects.read", Member, "List accounts (this instance is one)", h.Assets.listAccounts},
		{"GET", "/api/v2/accounts/:id", "projects.read", Member, "Get the account", h.Assets.getAccount},
		{"GET", "/api/v2/accounts/:id/teams", "projects.read", Member, "List the account's teams (one)", h.Assets.accountTeams},
		{"GET", "/api/v2/teams", "projects.read", Member, "List teams (one)", h.Assets.listTeams},
		{"GET", "/api/v2/teams/:id", "projects.read", Member, "Get the team", h.Assets.getTeam},
		{"GET", "/api/v2/teams/:id/projects", "projects.read", Member, "List the team's projects", h.Assets.teamProjects},
		{"POST", "/api/v2/teams/:id/projects", "projects.create", Member, "Create a project in the team", h.Assets.createTeamProject},

		// Projects, collections and assets.
		{"GET", "/api/v2/projects", "projects.read", Member, "List projects", h.Assets.listProjects},
		{"POST", "/api/v2/projects", "projects.create", Member, "Create a project", h.Assets.createProject},
		{"GET", "/api/v2/projects/:id", "projects.read", Member, "Get a project (with root_asset_id)", h.Assets.getProject},
		{"PUT", "/api/v2/projects/:id", "projects.update", Member, "Rename or update a project", h.Assets.updateProject},
		{"DELETE", "/api/v2/projects/:id", "projects.delete", Member, "Delete a project and everything in it", h.Assets.deleteProject},
		{"GET", "/api/v2/projects/:id/folders", "assets.read", Member, "List a project's folders (for pickers)", h.Assets.listFolders},
		{"GET", "/api/v2/projects/:id/collections", "assets.read", Member, "List a project's collections", h.Assets.listCollections},
		{"POST", "/api/v2/projects/:id/collections", "assets.create", Member, "Create a collection", h.Assets.createCollection},
		{"GET", "/api/v2/collections/:id", "assets.read", Member, "Get a collection", h.Assets.getCollection},
		{"PUT", "/api/v2/collections/:id", "assets.update", Member, "Update a collection (name, items, hidden)", h.Assets.updateCollection},
		{"DELETE", "/api/v2/collections/:id", "assets.delete", Member, "Delete a collection (its assets stay)", h.Assets.deleteCollection},
		{"GET", "/api/v2/collections/:id/items", "assets.read", Member, "List a collection's assets", h.Assets.collectionItems},
		{"GET", "/api/v2/collections/:id/affected_links", "share_links.read", Member, "Share links that deleting this collection would leave without a target", h.Assets.affectedLinks},
		{"GET", "/api/v2/assets/:id/affected_links", "share_links.read", Member, "Share links that deleting this asset would leave without a target", h.Assets.affectedLinks},
		{"GET", "/api/v2/assets/:id", "assets.read", Member, "Get an asset", h.Assets.getAsset},
		{"PUT", "/api/v2/assets/:id", "assets.update", Member, "Rename, move or update an asset", h.Assets.updateAsset},
		{"DELETE", "/api/v2/assets/:id", "assets.delete", Member, "Delete an asset (a folder with its contents)", h.Assets.deleteAsset},
		{"GET", "/api/v2/assets/:id/children", "assets.read", Member, "List a folder, version stack or file's attachments", h.Assets.children},
		{"POST", "/api/v2/assets/:id/children", "assets.create", Member, "Create a folder, or a file to upload (answers upload_url and Frame.io's upload_urls)", h.Assets.createChild},
		{"GET", "/api/v2/assets/:id/ancestors", "assets.read", Member, "The folders above an asset, root first", h.Assets.ancestors},
		{"POST", "/api/v2/assets/:id/version", "assets.create", Member, "Stack a file onto this one as its next version ({\"next_asset_id\"})", h.Assets.addVersion},
		{"POST", "/api/v2/assets/:id/copy", "assets.create", Member, "Copy an asset into a folder", h.Assets.copyAsset},
		{"POST", "/api/v2/batch/assets/:id/copy", "assets.create", Member, "Copy several assets into this folder ({\"batch\":[{\"id\"}]})", h.Assets.batchCopy},
		{"GET", "/api/v2/search/library", "assets.read", Member, "Search assets by name (?query= or ?q=, project_id, type)", h.Assets.searchGet},
		{"POST", "/api/v2/search/library", "assets.read", Member, "Search assets (Frame.io v2 body: query, filters)", h.Assets.searchPost},
		{"GET", "/api/v2/assets/:id/original", "assets.read", Member, "Download the original (Range, ETag)", h.Assets.original},
		{"GET", "/api/v2/assets/:id/proxies/:name", "assets.read", Member, "A rendition: thumb, preview, large or a video proxy", h.Assets.proxy},

		// Mail: Settings > Email and the outbox, for admins.
		{"GET", "/api/v2/settings/email", "settings.read", Admin, "The SMTP settings and whether mail goes out", h.Mail.status},
		{"PUT", "/api/v2/settings/email", "settings.update", Admin, "Set the SMTP server and sender", h.Mail.configure},
		{"POST", "/api/v2/settings/email/test", "settings.update", Admin, "Send a test mail", h.Mail.sendTest},
		{"GET", "/api/v2/outbox", "settings.read", Admin, "List the mail outbox", h.Mail.list},
		{"GET", "/api/v2/outbox/:id", "settings.read", Admin, "Get a mail of the outbox (secrets withheld)", h.Mail.get},
		{"POST", "/api/v2/outbox/:id/retry", "settings.update", Admin, "Send a failed mail again", h.Mail.retry},

		// Upload links, for their owners (the public side is under /public/links).
		{"GET", "/api/v2/upload_links", "upload_links.read", Member, "List upload links", h.UploadLinks.list},
		{"POST", "/api/v2/upload_links", "upload_links.create", Member, "Create an upload link (answers the passcode once)", h.UploadLinks.create},
		{"GET", "/api/v2/upload_links/stats", "upload_links.read", Member, "Stat cards of upload links", h.UploadLinks.stats},
		{"GET", "/api/v2/upload_links/:id", "upload_links.read", Member, "Get an upload link with what arrived", h.UploadLinks.get},
		{"DELETE", "/api/v2/upload_links/:id", "upload_links.delete", Member, "Revoke an upload link", h.UploadLinks.revoke},
		{"POST", "/api/v2/upload_links/:id/resend", "upload_links.update", Member, "Resend both mails with a new passcode", h.UploadLinks.resend},

		// Review links (Frame.io v2), comments and approvals. Before the share
		// links: their public file route would take .../assets/{id}/comments.
		{"GET", "/api/v2/projects/:id/review_links", "review_links.read", Member, "List a project's review links", h.ReviewLinks.list},
		{"POST", "/api/v2/projects/:id/review_links", "review_links.create", Member, "Create a review link (Frame.io v2)", h.ReviewLinks.create},
		{"GET", "/api/v2/review_links", "review_links.read", Member, "List the review links of every project the caller sees", h.ReviewLinks.listAll},
		{"GET", "/api/v2/review_links/:id", "review_links.read", Member, "Get a review link", h.ReviewLinks.get},
		{"PUT", "/api/v2/review_links/:id", "review_links.update", Member, "Update a review link", h.ReviewLinks.update},
		{"DELETE", "/api/v2/review_links/:id", "review_links.delete", Member, "Delete a review link", h.ReviewLinks.remove},
		{"POST", "/api/v2/review_links/:id/assets", "review_links.update", Member, "Add assets to a review link ({\"asset_ids\": [...]})", h.ReviewLinks.addAssets},
		{"GET", "/api/v2/review_links/:id/items", "review_links.read", Member, "List a review link's items, each with its asset", h.ReviewLinks.items},
		{"DELETE", "/api/v2/review_links/:id/items/:item", "review_links.update", Member, "Remove an item from a review link", h.ReviewLinks.removeItem},
		{"GET", "/api/v2/review_links/:id/activity", "review_links.read", Member, "Approvals, comments and views of a review link", h.ReviewLinks.activity},
		{"GET", "/api/v2/review_links/:id/access_log", "review_links.read", Member, "A review link's access log (?format=csv)", h.ReviewLinks.accessLog},
		{"GET", "/api/v2/review_links/:id/qr.:format", "review_links.read", Member, "A review link's QR code (png or svg)", h.ReviewLinks.qr},
		{"POST", "/api/v2/review_links/:id/share", "review_links.update", Member, "Send a review link to reviewers by email", h.ReviewLinks.share},
		{"GET", "/api/v2/assets/:id/comments", "comments.read", Member, "List an asset's comments", h.ReviewLinks.comments},
		{"POST", "/api/v2/assets/:id/comments", "comments.create", Member, "Comment on an asset (text, timestamp, annotation, page)", h.ReviewLinks.comment},
		{"GET", "/api/v2/comments/:id", "comments.read", Member, "Get a comment", h.ReviewLinks.getComment},
		{"PUT", "/api/v2/comments/:id", "comments.update", Member, "Edit a comment or mark it completed", h.ReviewLinks.updateComment},
		{"DELETE", "/api/v2/comments/:id", "comments.delete", Member, "Delete a comment", h.ReviewLinks.deleteComment},
		{"POST", "/api/v2/comments/:id/replies", "comments.create", Member, "Reply to a comment", h.ReviewLinks.reply},
		{"POST", "/api/v2/public/links/:key/reviewer", "", Public, "A reviewer gives their name", pub.reviewer},
		{"GET", "/api/v2/public/links/:key/assets/:id/comments", "", Public, "The comments a reviewer may read on an item", h.ReviewLinks.publicComments},
		{"POST", "/api/v2/public/links/:key/assets/:id/comments", "", Public, "A reviewer comments", h.ReviewLinks.publicComment},
		{"PUT", "/api/v2/public/links/:key/assets/:id/approval", "", Public, "A reviewer approves, asks for changes or rejects", h.ReviewLinks.approval},

		// Share links, the watermark, and the public side of every link kind.
		{"GET", "/api/v2/accounts/:id/audit_logs", "settings.read", Admin, "The account's audit log (Frame.io v2)", h.ShareLinks.auditLogs},
		{"GET", "/api/v2/share_links", "share_links.read", Member, "List share links", h.ShareLinks.list},
		{"POST", "/api/v2/share_links", "share_links.create", Member, "Create a public or direct-download link", h.ShareLinks.create},
		{"GET", "/api/v2/share_links/:id", "share_links.read", Member, "Get a share link", h.ShareLinks.get},
		{"PUT", "/api/v2/share_links/:id", "share_links.update", Member, "Update a share link's settings", h.ShareLinks.update},
		{"DELETE", "/api/v2/share_links/:id", "share_links.delete", Member, "Delete a share link", h.ShareLinks.remove},
		{"POST", "/api/v2/share_links/:id/items", "share_links.update", Member, "Add and remove files of a collection or selection link ({\"add\":[...],\"remove\":[...]})", h.ShareLinks.editItems},
		{"GET", "/api/v2/share_links/:id/access_log", "share_links.read", Member, "A share link's access log (?format=csv)", h.ShareLinks.accessLog},
		{"GET", "/api/v2/share_links/:id/qr.:format", "share_links.read", Member, "A share link's QR code (png or svg)", h.ShareLinks.qr},
		{"GET", "/api/v2/projects/:id/shared", "share_links.read", Member, "What of a project is shared, and by which links", h.ShareLinks.shared},
		{"GET", "/api/v2/settings/watermark", "settings.read", Member, "The site watermark", h.ShareLinks.watermark},
		{"PUT", "/api/v2/settings/watermark", "settings.update", Admin, "Set the site watermark", h.ShareLinks.setWatermark},
		{"PUT", "/api/v2/settings/watermark/logo", "settings.update", Admin, "Upload the watermark logo (PNG)", h.ShareLinks.setLogo},
		{"DELETE", "/api/v2/settings/watermark/logo", "settings.update", Admin, "Remove the watermark logo", h.ShareLinks.deleteLogo},
		{"GET", "/api/v2/settings/watermark/preview.jpg", "settings.read", Member, "A sample image with the watermark applied", h.ShareLinks.watermarkPreview},
		{"GET", "/api/v2/public/links/:key", "", Public, "What a visitor of a link sees", pub.page},
		{"POST", "/api/v2/public/links/:key/unlock", "", Public, "Give a link's password or passcode", pub.unlock},
		{"GET", "/api/v2/public/links/:key/assets/:id/:name", "", Public, "A file of a link: original, thumb, preview, large or a video proxy", pub.file},
		{"HEAD", "/api/v2/public/links/:key/assets/:id/:name", "", Public, "Headers of a file of a link", pub.file},
		{"GET", "/api/v2/public/links/:key/zip", "", Public, "Download all: a streamed ZIP", h.ShareLinks.zip},
		{"GET", "/d/:key", "", Public, "A direct download link: the original itself", h.ShareLinks.direct},
		{"HEAD", "/d/:key", "", Public, "Headers of a direct download", h.ShareLinks.direct},

		// Share-link governance: sharing settings, forms, clickwraps, registrations.
		{"GET", "/api/v2/settings/sharing", "settings.read", Member, "The site's sharing settings", h.ShareLinks.sharingSettings},
		{"PUT", "/api/v2/settings/sharing", "settings.update", Admin, "Set the site's sharing settings", h.ShareLinks.setSharingSettings},
		{"GET", "/api/v2/share_forms", "share_links.read", Member, "List registration forms", h.ShareLinks.listForms},
		{"POST", "/api/v2/share_forms", "settings.update", Admin, "Create a registration form", h.ShareLinks.saveForm},
		{"GET", "/api/v2/share_forms/:id", "share_links.read", Member, "Get a registration form", h.ShareLinks.getForm},
		{"PUT", "/api/v2/share_forms/:id", "settings.update", Admin, "Update a registration form", h.ShareLinks.saveForm},
		{"DELETE", "/api/v2/share_forms/:id", "settings.update", Admin, "Delete a registration form no link uses", h.ShareLinks.deleteForm},
		{"GET", "/api/v2/clickwraps", "share_links.read", Member, "List clickwrap agreements", h.ShareLinks.listClickwraps},
		{"POST", "/api/v2/clickwraps", "settings.update", Admin, "Create a clickwrap agreement", h.ShareLinks.saveClickwrap},
		{"GET", "/api/v2/clickwraps/:id", "share_links.read", Member, "Get a clickwrap agreement", h.ShareLinks.getClickwrap},
		{"PUT", "/api/v2/clickwraps/:id", "settings.update", Admin, "Update a clickwrap agreement", h.ShareLinks.saveClickwrap},
		{"DELETE", "/api/v2/clickwraps/:id", "settings.update", Admin, "Delete a clickwrap agreement no link uses", h.ShareLinks.deleteClickwrap},
		{"GET", "/api/v2/share_links/:id/registrations", "share_links.read", Member, "Who registered on a share link (?format=csv)", h.ShareLinks.registrations},
		{"GET", "/api/v2/share_links/:id/emails", "share_links.read", Member, "Who a share link was sent to", h.ShareLinks.recipients},
		{"POST", "/api/v2/share_links/:id/emails", "share_links.update", Member, "Send a share link by email", h.ShareLinks.sendEmails},
		{"POST", "/api/v2/share_links/revoke", "share_links.delete", Member, "Revoke several share links at once", h.ShareLinks.revokeMany},
		{"POST", "/api/v2/public/links/:key/register", "", Public, "A visitor registers (form answers, clickwrap consent)", pub.register},

		// Folder privileges of members.
		{"GET", "/api/v2/users/:id/privileges", "users.read", Admin, "A member's folder privileges", h.Privileges.list},
		{"PUT", "/api/v2/users/:id/privileges/:folder_id", "users.update", Admin, "Set a member's privilege on a folder", h.Privileges.set},
		{"DELETE", "/api/v2/users/:id/privileges/:folder_id", "users.update", Admin, "Remove a member's privilege on a folder", h.Privileges.remove},
		{"GET", "/api/v2/assets/:id/privileges", "assets.read", Member, "What the caller may do with an asset", h.Privileges.mine},
		{"GET", "/api/v2/assets/:id/permissions", "users.read", Admin, "Who holds privileges on a folder, set there or inherited from above", h.Privileges.folderPermissions},
		{"GET", "/api/v2/groups", "users.read", Admin, "List groups", h.Privileges.listGroups},
		{"POST", "/api/v2/groups", "users.create", Admin, "Create a group ({\"name\",\"user_ids\"})", h.Privileges.createGroup},
		{"GET", "/api/v2/groups/:id", "users.read", Admin, "Get a group", h.Privileges.getGroup},
		{"PUT", "/api/v2/groups/:id", "users.update", Admin, "Rename a group or replace its members", h.Privileges.updateGroup},
		{"DELETE", "/api/v2/groups/:id", "users.delete", Admin, "Delete a group (its members lose what it gave them)", h.Privileges.deleteGroup},
		{"GET", "/api/v2/groups/:id/privileges", "users.read", Admin, "A group's folder privileges", h.Privileges.groupPrivileges},
		{"PUT", "/api/v2/groups/:id/privileges/:folder_id", "users.update", Admin, "Set a group's privilege on a folder", h.Privileges.setGroupPrivilege},
		{"DELETE", "/api/v2/groups/:id/privileges/:folder_id", "users.update", Admin, "Remove a group's privilege on a folder", h.Privileges.removeGroupPrivilege},
		{"GET", "/api/v2/projects/:id/collaborators", "projects.read", Member, "Who may reach a project", h.Privileges.collaborators},
		{"POST", "/api/v2/projects/:id/collaborators", "projects.update", Member, "Add a member to a project (Frame.io v2 add_collaborator)", h.Privileges.addCollaborator},
		{"DELETE", "/api/v2/projects/:id/collaborators/:user", "projects.update", Member, "Remove a member from a project", h.Privileges.removeCollaborator},

		// What visitors of an editable share link may change.
		{"POST", "/api/v2/public/links/:key/folders", "", Public, "A visitor makes a folder", h.Visitors.mkdir},
		{"PUT", "/api/v2/public/links/:key/assets/:id", "", Public, "A visitor renames or moves a file", h.Visitors.update},
		{"DELETE", "/api/v2/public/links/:key/assets/:id", "", Public, "A visitor deletes a file", h.Visitors.remove},
		{"POST", "/api/v2/public/links/:key/assets/:id/copy", "", Public, "A visitor copies a file", h.Visitors.copy},

		// Face search: the site setting and its purge for admins; for visitors
		// of a link that allows search by people, the face strip, a person's
		// photos, face crops and the selfie search.
		{"GET", "/api/v2/settings/faces", "settings.read", Member, "Face search: on or off, indexing progress, what is stored", h.Faces.settings},
		{"PUT", "/api/v2/settings/faces", "settings.update", Admin, "Switch face search on or off ({\"enabled\": true})", h.Faces.setSettings},
		{"POST", "/api/v2/settings/faces/purge", "settings.update", Admin, "Delete every face, crop and person, and switch face search off", h.Faces.purge},
		{"GET", "/api/v2/public/links/:key/people", "", Public, "The people in a link's photos (face strip; links that allow search by people)", h.Faces.strip},
		{"GET", "/api/v2/public/links/:key/people/:person", "", Public, "The photos of a link that show one person", h.Faces.person},
		{"GET", "/api/v2/public/links/:key/faces/:face", "", Public, "A face crop of a link's photo", h.Faces.crop},
		{"POST", "/api/v2/public/links/:key/selfie", "", Public, "Find a link's photos of the person in a selfie (JPEG or PNG body; never stored)", h.Faces.selfie},
		// A project's people, for its members: named, merged, split, hidden.
		{"GET", "/api/v2/projects/:id/people", "assets.read", Member, "The people in a project's photos the caller sees (?hidden=true adds hidden ones)", h.Faces.listPeople},
		{"GET", "/api/v2/projects/:id/people/:person", "assets.read", Member, "A person of a project: their faces and photos", h.Faces.getPerson},
		{"PUT", "/api/v2/projects/:id/people/:person", "assets.update", Member, "Name or hide a person of a project ({\"name\", \"hidden\"})", h.Faces.updatePerson},
		{"POST", "/api/v2/projects/:id/people/:person/merge", "assets.update", Member, "Merge another person into this one ({\"person_id\"})", h.Faces.mergePerson},
		{"POST", "/api/v2/projects/:id/faces/:face/split", "assets.update", Member, "Move a face out of its person to a new person", h.Faces.splitFace},
		{"GET", "/api/v2/projects/:id/faces/:face", "assets.read", Member, "A face crop of a project's photo", h.Faces.projectCrop},

		// Accounts: login, setup, tokens and users.
		{"POST", "/api/v2/auth/login", "", Public, "Log in (sets the session cookie)", s.login},
		{"POST", "/api/v2/auth/logout", "", Public, "Log out", s.logout},
		{"GET", "/api/v2/setup", "", Public, "Whether the first admin is still to be made", s.setupStatus},
		{"POST", "/api/v2/setup", "", Public, "Make the first admin with the one-time setup token", s.setupAdmin},
		{"GET", "/api/v2/me", "", Member, "The user behind the session or token", s.me},
		{"GET", "/api/v2/settings/media", "settings.read", Member, "Whether video and audio are processed here, and how", s.mediaSettings},
		{"GET", "/api/v2/tokens", "", Member, "List the caller's API tokens", s.listTokens},
		{"POST", "/api/v2/tokens", "", Member, "Create an API token (answers the token once)", s.createToken},
		{"DELETE", "/api/v2/tokens/:id", "", Member, "Revoke an API token", s.deleteToken},
		{"GET", "/api/v2/scopes", "", Member, "The token scopes there are", s.listScopes},
		{"GET", "/api/v2/users", "users.read", Admin, "List users", s.listUsers},
		{"POST", "/api/v2/users", "users.create", Admin, "Create a user", s.createUser},
		{"GET", "/api/v2/users/:id", "users.read", Admin, "Get a user", s.getUser},
		{"PUT", "/api/v2/users/:id", "users.update", Admin, "Update a user", s.updateUser},
		{"GET", "/api/v2/openapi.json", "", Public, "This document", s.openAPI},
	}
}
