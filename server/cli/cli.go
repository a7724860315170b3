//go:build !js

// Package cli implements the ferry command's subcommands.
package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/ferryhq/ferry/server/admin"
	"github.com/ferryhq/ferry/server/auth"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/serve"
)

// Version is set at build time.
var Version = "dev"

const usage = `ferry: self-hosted asset sharing

Usage:
  ferry [serve] [--config F] [--listen ADDR] [--data-dir D] [--public-url URL]
  ferry user add --email E --name N --role admin|member --password-stdin
  ferry token create --email E --name N --scopes a.read,b.create
  ferry backup --out F [--with-files]
  ferry restore --in F --data-dir D
  ferry restore --from s3://bucket/prefix --data-dir D
  ferry storage migrate --to s3|disk
  ferry version

Admin commands work whether or not a server runs: when one holds the data
directory they go through its socket (data_dir/ferry.sock).
`

// Main runs the command line and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = runServe(args, stderr)
	case "user":
		err = runUser(args, stdin, stdout, stderr)
	case "token":
		err = runToken(args, stdout, stderr)
	case "backup":
		err = runBackup(args, stdout, stderr)
	case "restore":
		err = runRestore(args, stdout, stderr)
	case "storage":
		err = runStorage(args, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "ferry", Version)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "ferry: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 2
		}
		fmt.Fprintln(stderr, "ferry:", err)
		return 1
	}
	return 0
}

// common flags: config file and the few keys worth a flag.
type common struct {
	fs     *flag.FlagSet
	config string
	keys   map[string]*string
}

func newCommon(name string, stderr io.Writer, keys ...string) *common {
	c := &common{fs: flag.NewFlagSet("ferry "+name, flag.ContinueOnError), keys: map[string]*string{}}
	c.fs.SetOutput(stderr)
	c.fs.StringVar(&c.config, "config", "", "config file (default ./ferry.yaml if present)")
	for _, k := range keys {
		c.keys[k] = c.fs.String(strings.ReplaceAll(k, "_", "-"), "", "sets "+k)
	}
	return c
}

// parse parses args into c's flags and loads the configuration they and
// the environment and config file make.
func (c *common) parse(args []string) (config.Config, error) {
	if err := c.fs.Parse(args); err != nil {
		return config.Config{}, err
	}
	return c.load()
}

// subcommand returns the arguments after verb, or usage as the error when
// args do not start with it.
func subcommand(args []string, verb, usage string) ([]string, error) {
	if len(args) == 0 || args[0] != verb {
		return nil, errors.New(usage)
	}
	return args[1:], nil
}

func (c *common) load() (config.Config, error) {
	flags := map[string]string{}
	for k, v := range c.keys {
		if *v != "" {
			flags[k] = *v
		}
	}
	return config.Load(c.config, os.Environ(), flags)
}

func logger(cfg config.Config, w io.Writer) *slog.Logger {
	var lvl slog.Level
	lvl.UnmarshalText([]byte(cfg.LogLevel))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: lvl}))
}

func runServe(args []string, stderr io.Writer) error {
	cfg, err := newCommon("serve", stderr, "listen", "data_dir", "public_url").parse(args)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve.Run(ctx, cfg, serve.Options{
		Version:       Version,
		Log:           logger(cfg, stderr),
		AdminEmail:    os.Getenv("FERRY_ADMIN_EMAIL"),
		AdminPassword: os.Getenv("FERRY_ADMIN_PASSWORD"),
	})
}

// withOps runs fn against the running server's socket, or opens the data
// directory itself when no server runs.
func withOps(cfg config.Config, stderr io.Writer, remote func(*admin.Client) error, local func(*admin.Ops) error) error {
	if cl, ok := admin.Dial(cfg.Path(admin.SocketName)); ok {
		return remote(cl)
	}
	in, err := serve.Open(cfg, logger(config.Config{LogLevel: "error"}, stderr))
	if err != nil {
		return err
	}
	defer in.Close()
	return local(in.Ops)
}

func runUser(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	args, err := subcommand(args, "add", "usage: ferry user add --email E --name N --role admin|member --password-stdin")
	if err != nil {
		return err
	}
	c := newCommon("user add", stderr, "data_dir")
	email := c.fs.String("email", "", "email address")
	name := c.fs.String("name", "", "display name")
	role := c.fs.String("role", "member", "admin or member")
	pwStdin := c.fs.Bool("password-stdin", false, "read the password from standard input")
	if err := c.fs.Parse(args); err != nil {
		return err
	}
	if !*pwStdin {
		return fmt.Errorf("give --password-stdin and the password on standard input (never on the command line)")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	in := auth.NewUser{Email: *email, Name: *name, Role: *role, Password: strings.TrimRight(line, "\r\n")}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	var u auth.User
	err = withOps(cfg, stderr,
		func(cl *admin.Client) (err error) { u, err = cl.AddUser(in); return err },
		func(o *admin.Ops) (err error) { u, err = o.AddUser(in); return err })
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "added %s <%s> as %s (%s)\n", u.Name, u.Email, u.Role, u.ID)
	return nil
}

func runToken(args []string, stdout, stderr io.Writer) error {
	args, err := subcommand(args, "create", "usage: ferry token create --email E --name N --scopes a.read,b.create")
	if err != nil {
		return err
	}
	c := newCommon("token create", stderr, "data_dir")
	email := c.fs.String("email", "", "the user the token acts as")
	name := c.fs.String("name", "", "a name for the token")
	scopes := c.fs.String("scopes", "", "comma-separated scopes, e.g. projects.read,assets.create")
	cfg, err := c.parse(args)
	if err != nil {
		return err
	}
	in := admin.TokenRequest{Email: *email, Name: *name}
	for _, s := range strings.Split(*scopes, ",") {
		if s = strings.TrimSpace(s); s != "" {
			in.Scopes = append(in.Scopes, s)
		}
	}
	var secret string
	err = withOps(cfg, stderr,
		func(cl *admin.Client) (err error) { secret, err = cl.CreateToken(in); return err },
		func(o *admin.Ops) (err error) { secret, err = o.CreateToken(in); return err })
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, secret)
	return nil
}

func runBackup(args []string, stdout, stderr io.Writer) error {
	c := newCommon("backup", stderr, "data_dir")
	out := c.fs.String("out", "", "backup file to write")
	withFiles := c.fs.Bool("with-files", false, "include original files")
	if err := c.fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("give --out FILE")
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	tmp := *out + ".partial"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	err = withOps(cfg, stderr,
		func(cl *admin.Client) error { return cl.Backup(f, *withFiles) },
		func(o *admin.Ops) error { return o.Backup(f, *withFiles) })
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp, *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s\n", *out)
	return nil
}

func runRestore(args []string, stdout, stderr io.Writer) error {
	c := newCommon("restore", stderr, "data_dir")
	in := c.fs.String("in", "", "backup file to read")
	from := c.fs.String("from", "", "s3://bucket/prefix of continuous backups (backup.to: s3)")
	if err := c.fs.Parse(args); err != nil {
		return err
	}
	if *in == "" && *from == "" {
		return fmt.Errorf("give --in FILE or --from s3://bucket/prefix, and --data-dir D")
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	if _, ok := admin.Dial(cfg.Path(admin.SocketName)); ok {
		return fmt.Errorf("a ferry server is running on %s; stop it before restoring", cfg.DataDir)
	}
	if *from != "" {
		return restoreFromS3(cfg, *from, stdout)
	}
	f, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := admin.Restore(f, cfg.DataDir); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s into %s\n", *in, cfg.DataDir)
	return nil
}
