package nethttp_test

import (
	"fmt"
	"log"
	"os"
	"time"

	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/client/nethttp"
	"github.com/ferryhq/ferry/model"
)

// The README's example: a token's projects and a new share link.
func Example() {
	c := nethttp.New("https://ferry.example.com").WithToken(os.Getenv("FERRY_TOKEN"))
	projects, err := c.Projects(nil)
	if err != nil {
		log.Fatal(err)
	}
	assetID := projects[0].RootAssetID
	link, err := c.CreateShareLink(model.NewShareLink{
		AssetIDs:  []string{assetID},
		Password:  "harbour light",
		ExpiresAt: model.Set(time.Now().AddDate(0, 0, 14)),
	})
	if client.StatusOf(err) == 400 {
		log.Fatal("refused: ", err)
	}
	fmt.Println(projects[0].Name, link.URL)
}
