package tinybird

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// parityVersion is the @tinybirdco/sdk version the Go generator matches;
// testdata/parity/package-lock.json pins it.
const parityVersion = "0.0.84"

// TestParityWithTypeScriptSDK runs @tinybirdco/sdk's own generator on the
// definitions of testdata/parity/cases.mjs and compares its text, byte for
// byte, with the Go SDK's for the twin definitions of generatorCases, and
// with the golden files. It needs node and `npm ci` in testdata/parity; it
// skips without them locally but fails when CI=true, so CI cannot pass it
// by accident.
func TestParityWithTypeScriptSDK(t *testing.T) {
	dir := filepath.Join("testdata", "parity")
	node, err := exec.LookPath("node")
	missing := ""
	if err != nil {
		missing = "node is not on PATH"
	} else if _, err := os.Stat(filepath.Join(dir, "node_modules", "@tinybirdco", "sdk", "package.json")); err != nil {
		missing = "@tinybirdco/sdk is not installed: run npm ci in " + dir
	}
	if missing != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("parity test cannot run on CI: %s", missing)
		}
		t.Skipf("parity test skipped: %s", missing)
	}
	cmd := exec.Command(node, "generate.mjs")
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node generate.mjs: %v", err)
	}
	var res struct {
		SDKVersion string `json:"sdkVersion"`
		Cases      map[string]struct {
			Name    string `json:"name"`
			Ext     string `json:"ext"`
			Content string `json:"content"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("parsing the script's output: %v", err)
	}
	if res.SDKVersion != parityVersion {
		t.Fatalf("installed @tinybirdco/sdk is %s, want %s: run npm ci in %s", res.SDKVersion, parityVersion, dir)
	}
	if len(res.Cases) != len(generatorCases) {
		t.Errorf("cases.mjs has %d cases, generatorCases %d: every case needs a twin", len(res.Cases), len(generatorCases))
	}
	for _, c := range generatorCases {
		ts, ok := res.Cases[c.id]
		if !ok {
			t.Errorf("%s: no such case in cases.mjs", c.id)
			continue
		}
		d := c.build()
		if d.Name() != ts.Name {
			t.Errorf("%s: name %q, TypeScript %q", c.id, d.Name(), ts.Name)
		}
		if got := d.Datafile(); got != ts.Content {
			t.Errorf("%s: Go datafile differs from @tinybirdco/sdk's\n--- go\n%s\n--- typescript\n%s", c.id, got, ts.Content)
		}
		golden, err := os.ReadFile(goldenPath(c, d))
		if err != nil || string(golden) != ts.Content {
			t.Errorf("%s: golden file is stale (%v): regenerate with node generate.mjs --golden ../golden", c.id, err)
		}
	}
}
