package main

import (
	"fmt"
	"os"
	"time"
)

// main prints every problem Validate and JWTOptions.Validate find, and
// exits 1 (the project is meant to be broken).
func main() {
	fmt.Println(report(time.Now()))
	os.Exit(1)
}

// report returns the run-time findings, one per line.
func report(now time.Time) string {
	out := "Validate:\n" + Project.Validate().Error() + "\n\nJWT BadJWT:\n" + BadJWT.Validate(now).Error() +
		"\n\nJWT NoExpiry:\n" + NoExpiry.Validate(now).Error()
	return out
}
