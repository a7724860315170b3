# Sourced by the install-*.sh scripts that build a Go tool from a wrapper
# module: `go install …@version` is refused here, so scripts/tools/<name>
# is a module that requires the pinned version, and the tool is built from
# it. The version is read from the binary's build information (the tools'
# own version commands print nothing useful or ask the network).

# build_go_tool NAME PACKAGE VERSION LDFLAGS [NOTE]: builds PACKAGE (whose
# module is at VERSION) into .tools/bin/NAME unless the binary there already
# names that version; NOTE is added to the "building" line. Idempotent.
build_go_tool() {
	local name=$1 pkg=$2 version=$3 ldflags=$4 note=${5:-}
	local root bin
	root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
	bin="$root/.tools/bin/$name"
	if [[ -x "$bin" ]] && go_tool_is "$bin" "$pkg" "$version"; then
		echo "$name $version already installed at $bin"
		return 0
	fi
	mkdir -p "$root/.tools/bin"
	echo "building $name $version into $bin${note:+ ($note)}"
	(cd "$root/scripts/tools/$name" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$bin.tmp" "$pkg")
	mv "$bin.tmp" "$bin"
	if ! go_tool_is "$bin" "$pkg" "$version"; then
		echo "built $bin but its build information does not name $name $version" >&2
		return 1
	fi
	echo "$name $version installed"
}

# go_tool_is BIN PACKAGE VERSION: whether BIN was built from PACKAGE's
# module at VERSION.
go_tool_is() {
	go version -m "$1" 2>/dev/null | grep -Eq "$2[[:space:]]+$3([[:space:]]|$)"
}
