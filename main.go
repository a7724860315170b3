// Command ferry is the Ferry server and its operator commands.
package main

import (
	"os"

	"github.com/ferryhq/ferry/server/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
