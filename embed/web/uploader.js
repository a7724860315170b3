// uploader.js: the resumable tus uploader (filled in with the assets feature).
