package infra_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"spasmcoach/internal/testutil/tools"
)

// bareToolDir returns a folder that is a whole PATH for deploy.sh's dry
// run: the real bash, node and the few utilities the script uses, and
// stand-ins for go and make that record any call; no ask and no aws.
func bareToolDir(t *testing.T) (dir, calls string) {
	t.Helper()
	needBash(t)
	needNode(t)
	dir = t.TempDir()
	calls = filepath.Join(dir, "calls.log")
	for _, tool := range []string{"bash", "node", "dirname", "basename", "sed"} {
		path := tools.Need(t, tool, "")
		if err := os.Symlink(path, filepath.Join(dir, tool)); err != nil {
			t.Fatal(err)
		}
	}
	for _, tool := range []string{"go", "make"} {
		script := "#!/bin/sh\necho \"" + tool + " $*\" >> '" + calls + "'\nexit 97\n"
		if err := os.WriteFile(filepath.Join(dir, tool), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir, calls
}

// runBare runs deploy.sh with exactly PATH=dir and the given environment.
func runBare(t *testing.T, dir string, env map[string]string, args ...string) scriptRun {
	t.Helper()
	cmd := exec.Command(filepath.Join(dir, "bash"), append([]string{deployScript}, args...)...)
	cmd.Env = []string{"PATH=" + dir, "HOME=" + t.TempDir(), "LANG=C"}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := scriptRun{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return r
}

// TestDeployDryRunWithoutAskOrAWS runs the dry run on a PATH that has
// neither ask nor aws, as the README promises it works: it stages the
// project (with the alarm email as the template's parameter), calls
// nothing, and says nothing was deployed, never that something was.
func TestDeployDryRunWithoutAskOrAWS(t *testing.T) {
	tools, calls := bareToolDir(t)
	for _, tool := range []string{"ask", "aws"} {
		if out, err := exec.Command(filepath.Join(tools, "bash"), "-c", "PATH="+tools+" command -v "+tool).CombinedOutput(); err == nil {
			t.Fatalf("%s is on the test PATH (%s): the test proves nothing", tool, out)
		}
	}
	dir := filepath.Join(t.TempDir(), "spasmcoach")
	r := runBare(t, tools, deployEnv(map[string]string{"DEPLOY_DIR": dir, "ALARM_EMAIL": "ops@spasmcoach.test"}), "--dry-run")
	if r.code != 0 {
		t.Fatalf("dry run without ask and aws exited %d:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	noCalls(t, calls)
	if strings.Contains(r.stdout+r.stderr, "Deployed") || strings.Contains(r.stdout, "not installed") {
		t.Errorf("the dry run claims a deploy or misses a tool:\n%s\n%s", r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "Dry run: nothing was deployed.") {
		t.Errorf("the dry run does not say that nothing was deployed:\n%s", r.stdout)
	}
	if got := readStagedResources(t, dir).profile().SkillInfrastructure.UserConfig.Cfn.Parameters["AlarmEmail"]; got != "ops@spasmcoach.test" {
		t.Errorf("staged AlarmEmail parameter %q, want ops@spasmcoach.test", got)
	}
	// Without ALARM_EMAIL the parameter keeps the template's default.
	r = runBare(t, tools, deployEnv(map[string]string{"DEPLOY_DIR": dir}), "--dry-run")
	if _, ok := readStagedResources(t, dir).profile().SkillInfrastructure.UserConfig.Cfn.Parameters["AlarmEmail"]; r.code != 0 || ok {
		t.Errorf("without ALARM_EMAIL: exit %d, AlarmEmail staged %v; want 0 and not staged", r.code, ok)
	}
}

// TestDeployAlarmEmail checks that deploy.sh accepts exactly the addresses
// the template's AlarmEmail pattern accepts (CloudFormation would refuse
// the others only after the skill package was deployed).
func TestDeployAlarmEmail(t *testing.T) {
	tools, _ := bareToolDir(t)
	raw, _, _ := loadRawTemplate(t)
	pattern := regexp.MustCompile("^(?:" + raw.Parameters["AlarmEmail"].AllowedPattern + ")$")
	for email, ok := range map[string]bool{
		"ops@spasmcoach.test": true, "first.last+alarms@mail.spasmcoach.test": true,
		"ops": false, "ops@": false, "@spasmcoach.test": false, "ops@spasmcoach": false,
		"o ps@spasmcoach.test": false, `o"ps@spasmcoach.test`: false, "a@b@spasmcoach.test": false,
	} {
		if pattern.MatchString(email) != ok {
			t.Errorf("template pattern on %q: %v, want %v", email, !ok, ok)
		}
		r := runBare(t, tools, deployEnv(map[string]string{"DEPLOY_DIR": filepath.Join(t.TempDir(), "d"), "ALARM_EMAIL": email}), "--dry-run")
		if (r.code == 0) != ok || !ok && !strings.Contains(r.stderr, "ALARM_EMAIL is not an email address") {
			t.Errorf("deploy.sh with ALARM_EMAIL=%q exited %d, want success %v:\n%s", email, r.code, ok, r.stderr)
		}
	}
	if !pattern.MatchString("") {
		t.Error("the template's AlarmEmail pattern refuses the empty default")
	}
}
