package infra_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"spasmcoach/alexa"
	"spasmcoach/infra"
	"spasmcoach/intents"
	"spasmcoach/internal/testutil/tools"
	"spasmcoach/skill"
)

// The deploy command (deploy.sh) and the ASK CLI build hook
// (hooks/build.sh), run with stand-ins for ask, aws, make and go that
// record any call and fail: a dry run must call none of them.

const (
	deployScript = "deploy.sh"
	buildHook    = "hooks/build.sh"
)

// deployInputs are a complete set of inputs; the URLs are on the reserved
// .test domain (RFC 2606), so they can never be real.
var deployInputs = map[string]string{
	"ICON_SMALL_URL": "https://cdn.spasmcoach.test/icon-108.png",
	"ICON_LARGE_URL": "https://cdn.spasmcoach.test/icon-512.png",
	"PRIVACY_URL":    "https://spasmcoach.test/privacy",
	"AWS_REGION":     "us-east-1",
}

var requiredInputs = []string{"ICON_SMALL_URL", "ICON_LARGE_URL", "PRIVACY_URL", "AWS_REGION"}

func needBash(t *testing.T) {
	t.Helper()
	tools.Need(t, "bash", "")
}

// stubTools writes ask, aws, make and go stand-ins into a new folder and
// returns it and the file they append their calls to.
func stubTools(t *testing.T) (dir, calls string) {
	t.Helper()
	dir = t.TempDir()
	calls = filepath.Join(dir, "calls.log")
	for _, tool := range []string{"ask", "aws", "make", "go"} {
		script := fmt.Sprintf("#!/bin/sh\necho \"%s $*\" >> %q\nexit 97\n", tool, calls)
		if err := os.WriteFile(filepath.Join(dir, tool), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir, calls
}

type scriptRun struct {
	code           int
	stdout, stderr string
}

// runScript runs a script of infra/ with bash, the stubs first on PATH, a
// scratch HOME, and exactly the given environment otherwise.
func runScript(t *testing.T, stubs string, env map[string]string, script string, args ...string) scriptRun {
	t.Helper()
	cmd := exec.Command("bash", append([]string{script}, args...)...)
	cmd.Env = []string{
		"PATH=" + stubs + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"LANG=C",
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("run %s: %v", script, err)
	}
	return scriptRun{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// noCalls fails if a stand-in was called.
func noCalls(t *testing.T, calls string) {
	t.Helper()
	data, err := os.ReadFile(calls)
	if err == nil && len(data) > 0 {
		t.Errorf("the dry run called tools it must not:\n%s", data)
	}
}

// commandLines are the "+ ..." lines a run prints for the commands it runs
// (or would run).
func commandLines(out string) []string {
	var cmds []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "+ ") {
			cmds = append(cmds, line)
		}
	}
	return cmds
}

// deployEnv returns deployInputs with extra applied; an empty value
// removes that input.
func deployEnv(extra map[string]string) map[string]string {
	env := map[string]string{}
	for k, v := range deployInputs {
		env[k] = v
	}
	for k, v := range extra {
		if v == "" {
			delete(env, k)
		} else {
			env[k] = v
		}
	}
	return env
}

func TestDeployScriptsParse(t *testing.T) {
	needBash(t)
	for _, script := range []string{deployScript, buildHook} {
		if out, err := exec.Command("bash", "-n", script).CombinedOutput(); err != nil {
			t.Errorf("bash -n %s: %v\n%s", script, err, out)
		}
		info, err := os.Stat(script)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm()&0o111 != 0o111 {
			t.Errorf("%s is not executable (mode %v); the ASK CLI runs hooks/build.sh directly", script, info.Mode().Perm())
		}
		if data, _ := os.ReadFile(script); !bytes.HasPrefix(data, []byte("#!/usr/bin/env bash\n")) || !bytes.Contains(data, []byte("\nset -euo pipefail\n")) {
			t.Errorf("%s must start with #!/usr/bin/env bash and set -euo pipefail", script)
		}
	}
}

// shellScripts are the repository's shell scripts, from infra/: the
// deploy command, the build hook, the load test and the CI entry point.
var shellScripts = []string{deployScript, buildHook, "../e2e/load.sh", "../.ci/run"}

// TestDeployScriptsShellcheck runs shellcheck on every shell script of the
// repository; .ci/run installs it (Debian package shellcheck).
func TestDeployScriptsShellcheck(t *testing.T) {
	tools.Need(t, "shellcheck", "Debian package shellcheck")
	for _, script := range shellScripts {
		if _, err := os.Stat(script); err != nil {
			t.Errorf("shell script: %v", err)
		}
	}
	if out, err := exec.Command("shellcheck", shellScripts...).CombinedOutput(); err != nil {
		t.Errorf("shellcheck: %v\n%s", err, out)
	}
}

func TestDeployUsage(t *testing.T) {
	needBash(t)
	stubs, calls := stubTools(t)
	r := runScript(t, stubs, nil, deployScript, "--help")
	if r.code != 0 {
		t.Fatalf("--help exited %d: %s", r.code, r.stderr)
	}
	for _, input := range append(requiredInputs, "ASK_PROFILE", "TERMS_URL", "LOG_LEVEL", "SPEECH_PACING", "ALARM_EMAIL", "DEPLOY_DIR", "--dry-run") {
		if !strings.Contains(r.stdout, input) {
			t.Errorf("--help does not mention %s", input)
		}
	}
	if r := runScript(t, stubs, deployEnv(nil), deployScript, "--bogus"); r.code != 2 {
		t.Errorf("an unknown argument exited %d, want 2", r.code)
	}
	noCalls(t, calls)
}

// TestDeployMissingInputs: without its inputs the command stops at the
// checks, names every missing input, and deploys nothing.
func TestDeployMissingInputs(t *testing.T) {
	needBash(t)
	for _, mode := range [][]string{{"--dry-run"}, nil} {
		stubs, calls := stubTools(t)
		env := map[string]string{"DEPLOY_DIR": filepath.Join(t.TempDir(), "proj")}
		r := runScript(t, stubs, env, deployScript, mode...)
		if r.code == 0 {
			t.Fatalf("%v: exited 0 without inputs", mode)
		}
		for _, input := range requiredInputs {
			if !strings.Contains(r.stderr, input) {
				t.Errorf("%v: the error does not name %s:\n%s", mode, input, r.stderr)
			}
		}
		if cmds := commandLines(r.stdout); len(cmds) > 0 {
			t.Errorf("%v: ran commands before failing: %q", mode, cmds)
		}
		if _, err := os.Stat(env["DEPLOY_DIR"]); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%v: staged a project before failing", mode)
		}
		noCalls(t, calls)
	}
	// One missing input is enough to stop.
	for _, input := range requiredInputs {
		stubs, calls := stubTools(t)
		r := runScript(t, stubs, deployEnv(map[string]string{input: ""}), deployScript, "--dry-run")
		if r.code == 0 || !strings.Contains(r.stderr, input) {
			t.Errorf("without %s: exit %d, stderr %q", input, r.code, r.stderr)
		}
		noCalls(t, calls)
	}
}

// TestDeployBadInputs: values that would deploy something broken or fake
// are refused before anything runs.
func TestDeployBadInputs(t *testing.T) {
	needBash(t)
	for name, extra := range map[string]map[string]string{
		"http icon":           {"ICON_SMALL_URL": "http://cdn.spasmcoach.test/icon.png"},
		"example.com privacy": {"PRIVACY_URL": "https://www.example.com/privacy"},
		"placeholder":         {"ICON_LARGE_URL": "https://__ICON_LARGE_URL__"},
		"space in URL":        {"PRIVACY_URL": "https://spasmcoach.test/my privacy"},
		"bad terms URL":       {"TERMS_URL": "ftp://spasmcoach.test/terms"},
		"region":              {"AWS_REGION": "US East"},
		"log level":           {"LOG_LEVEL": "verbose"},
		"speech pacing":       {"SPEECH_PACING": "fast"},
		"profile":             {"ASK_PROFILE": "my profile"},
		"dotted deploy dir":   {"DEPLOY_DIR": "/tmp/x/.deploy"},
	} {
		stubs, calls := stubTools(t)
		r := runScript(t, stubs, deployEnv(extra), deployScript, "--dry-run")
		if r.code == 0 {
			t.Errorf("%s: accepted", name)
		}
		if cmds := commandLines(r.stdout); len(cmds) > 0 {
			t.Errorf("%s: ran commands before failing: %q", name, cmds)
		}
		noCalls(t, calls)
	}
}

func needNode(t *testing.T) {
	t.Helper()
	needBash(t)
	tools.Need(t, "node", "the ASK CLI needs it; deploy.sh uses it to write JSON")
}

// TestDeployDryRun: with its inputs, a dry run stages the ASK project and
// prints the deploy's commands in the order that breaks the skill-ID/ARN
// circle, calling neither ask nor aws (nor make).
func TestDeployDryRun(t *testing.T) {
	needNode(t)
	stubs, calls := stubTools(t)
	dir := filepath.Join(t.TempDir(), "spasmcoach")
	r := runScript(t, stubs, deployEnv(map[string]string{"DEPLOY_DIR": dir, "ASK_PROFILE": "coach", "AWS_REGION": "eu-west-1"}), deployScript, "--dry-run")
	if r.code != 0 {
		t.Fatalf("dry run exited %d:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	noCalls(t, calls)
	cmds := commandLines(r.stdout)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	want := []*regexp.Regexp{
		regexp.MustCompile(`^\+ make -C ` + regexp.QuoteMeta(root) + ` build$`),
		regexp.MustCompile(`^\+ \(cd ` + regexp.QuoteMeta(dir) + ` && ask deploy --profile coach\)$`),
		regexp.MustCompile(`^\+ \(cd ` + regexp.QuoteMeta(dir) + ` && ask deploy --profile coach --target skill-metadata\)$`),
		regexp.MustCompile(`^\+ aws cloudformation describe-stacks --region eu-west-1 .*--stack-name `),
	}
	if len(cmds) != len(want) {
		t.Fatalf("commands:\n%s\nwant %d: build, ask deploy, ask deploy --target skill-metadata, aws describe-stacks", strings.Join(cmds, "\n"), len(want))
	}
	for i, re := range want {
		if !re.MatchString(cmds[i]) {
			t.Errorf("command %d = %q, want %v", i+1, cmds[i], re)
		}
	}
	// The staging step happens between the build and the deploy.
	build, stage, deploy := strings.Index(r.stdout, cmds[0]), strings.Index(r.stdout, "staged "+dir), strings.Index(r.stdout, cmds[1])
	if build >= stage || stage >= deploy {
		t.Errorf("want build, then staging, then ask deploy:\n%s", r.stdout)
	}

	// The staged project.
	res := readStagedResources(t, dir)
	if _, ok := res.Profiles["coach"]; !ok || len(res.Profiles) != 1 {
		t.Errorf("staged profiles = %v, want only coach", sortedMapKeys(res.Profiles))
	}
	uc := res.profile().SkillInfrastructure.UserConfig
	if uc.AwsRegion != "eu-west-1" || uc.Cfn.Parameters["LogLevel"] != "info" || uc.Cfn.Parameters["SpeechPacing"] != "apla" {
		t.Errorf("staged userConfig: awsRegion %q, LogLevel %q, SpeechPacing %q; want eu-west-1, info, apla",
			uc.AwsRegion, uc.Cfn.Parameters["LogLevel"], uc.Cfn.Parameters["SpeechPacing"])
	}
	for _, f := range []string{"template.yaml", "hooks/build.sh", "code/README.txt"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("not staged: %v", err)
		}
	}
	if info, err := os.Stat(filepath.Join(dir, "hooks/build.sh")); err == nil && info.Mode().Perm()&0o100 == 0 {
		t.Error("the staged hooks/build.sh is not executable")
	}
	for _, loc := range infra.Locales() {
		f := filepath.Join(dir, "skill-package/interactionModels/custom", loc+".json")
		if _, err := os.Stat(f); err != nil {
			t.Errorf("interaction model not staged: %v", err)
		}
	}

	// First deploy: no endpoint yet, so neither the API endpoint nor the
	// events (Alexa refuses events without an endpoint).
	m := readStagedManifest(t, dir)
	if m.Apis.Custom == nil || m.Apis.Custom.Endpoint != nil || m.Events != nil {
		t.Errorf("first deploy: apis.custom %+v, events %+v; want no endpoint and no events", m.Apis.Custom, m.Events)
	}
	for loc, p := range m.PublishingInformation.Locales {
		if p.SmallIconURI != deployInputs["ICON_SMALL_URL"] || p.LargeIconURI != deployInputs["ICON_LARGE_URL"] {
			t.Errorf("%s icons = %q, %q", loc, p.SmallIconURI, p.LargeIconURI)
		}
	}
	for loc, p := range m.PrivacyAndCompliance.Locales {
		if p.PrivacyPolicyURL != deployInputs["PRIVACY_URL"] || p.TermsOfUseURL != "" {
			t.Errorf("%s privacy %q, terms %q; want the input, and no terms (none given)", loc, p.PrivacyPolicyURL, p.TermsOfUseURL)
		}
	}
}

// TestDeployKnownEndpoint: once the CLI's state holds the stack's
// SkillEndpoint, the staged manifest points the skill and its events at it.
func TestDeployKnownEndpoint(t *testing.T) {
	needNode(t)
	stubs, calls := stubTools(t)
	dir := filepath.Join(t.TempDir(), "spasmcoach")
	const arn = "arn:aws:lambda:us-east-1:123456789012:function:ask-BackSpasmCoach-default-skillStack-1700000000000"
	states := map[string]any{
		"askcliStatesVersion": "2020-03-31",
		"profiles": map[string]any{"default": map[string]any{
			"skillId": "amzn1.ask.skill.00000000-0000-0000-0000-000000000000",
			"skillInfrastructure": map[string]any{"@ask-cli/cfn-deployer": map[string]any{
				"deployState": map[string]any{"default": map[string]any{
					"stackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/ask-BackSpasmCoach-default-skillStack-1700000000000/x",
					"outputs": []map[string]string{{"OutputKey": cfnDeployerOutput, "OutputValue": arn}},
				}},
			}},
		}},
	}
	data, err := json.Marshal(states)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, ".ask"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".ask", "ask-states.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	r := runScript(t, stubs, deployEnv(map[string]string{"DEPLOY_DIR": dir, "TERMS_URL": "https://spasmcoach.test/terms", "LOG_LEVEL": "debug", "SPEECH_PACING": "ssml"}), deployScript, "--dry-run")
	if r.code != 0 {
		t.Fatalf("dry run exited %d:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	noCalls(t, calls)
	m := readStagedManifest(t, dir)
	if m.Apis.Custom == nil || m.Apis.Custom.Endpoint == nil || m.Apis.Custom.Endpoint.URI != arn {
		t.Errorf("apis.custom = %+v, want endpoint %s", m.Apis.Custom, arn)
	}
	if m.Events == nil || m.Events.Endpoint == nil || m.Events.Endpoint.URI != arn {
		t.Errorf("events = %+v, want endpoint %s", m.Events, arn)
	} else if len(m.Events.Subscriptions) != 1 || m.Events.Subscriptions[0].EventName != manifestName(alexa.RequestSkillDisabled) {
		t.Errorf("events.subscriptions = %+v", m.Events.Subscriptions)
	}
	for loc, p := range m.PrivacyAndCompliance.Locales {
		if p.TermsOfUseURL != "https://spasmcoach.test/terms" {
			t.Errorf("%s termsOfUseUrl = %q", loc, p.TermsOfUseURL)
		}
	}
	if got := readStagedResources(t, dir).profile().SkillInfrastructure.UserConfig.Cfn.Parameters["LogLevel"]; got != "debug" {
		t.Errorf("staged LogLevel = %q, want debug", got)
	}
	if got := readStagedResources(t, dir).profile().SkillInfrastructure.UserConfig.Cfn.Parameters["SpeechPacing"]; got != "ssml" {
		t.Errorf("staged SpeechPacing = %q, want ssml", got)
	}
	// The CLI's state is kept.
	if kept, err := os.ReadFile(filepath.Join(dir, ".ask", "ask-states.json")); err != nil || !bytes.Equal(kept, data) {
		t.Errorf("the staging changed .ask/ask-states.json (%v)", err)
	}
}

// readStagedManifest decodes the staged skill.json strictly; no placeholder
// may be left in it.
func readStagedManifest(t *testing.T, dir string) *manifestBody {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "skill-package", "skill.json"))
	if err != nil {
		t.Fatal(err)
	}
	if left := placeholderRE.FindAllString(string(data), -1); len(left) > 0 {
		t.Errorf("staged skill.json still has placeholders %v", left)
	}
	m, err := decodeManifest(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("staged skill.json: %v", err)
	}
	return &m.Manifest
}

func readStagedResources(t *testing.T, dir string) *askResources {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "ask-resources.json"))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r askResources
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("staged ask-resources.json: %v", err)
	}
	return &r
}

// TestDeployLogLevels: deploy.sh accepts the log levels the template's
// LogLevel parameter allows.
func TestDeployLogLevels(t *testing.T) {
	script, err := os.ReadFile(deployScript)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^log_levels="([^"]*)"$`).FindSubmatch(script)
	if m == nil {
		t.Fatal(`deploy.sh has no log_levels="..." line`)
	}
	raw, _, _ := loadRawTemplate(t)
	var want []string
	for _, v := range raw.Parameters["LogLevel"].AllowedValues {
		want = append(want, fmt.Sprint(v))
	}
	if got := strings.Fields(string(m[1])); !slices.Equal(got, want) {
		t.Errorf("deploy.sh log_levels = %v, want the template's %v", got, want)
	}
}

// TestBuildHook: the hook builds through the Makefile's build target, with
// the zip going where the ASK CLI asked, and refuses to run without an
// output path or outside the repository.
func TestBuildHook(t *testing.T) {
	needBash(t)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	// A make that logs its arguments and writes the zip it is told to.
	stubs := t.TempDir()
	calls := filepath.Join(stubs, "calls.log")
	fakeMake := fmt.Sprintf(`#!/bin/sh
echo "make $*" >> %q
for a in "$@"; do
	case $a in LAMBDA_ZIP=*) printf 'zip' > "${a#LAMBDA_ZIP=}" ;; esac
done
`, calls)
	if err := os.WriteFile(filepath.Join(stubs, "make"), []byte(fakeMake), 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), ".ask", "code", "build.zip")
	r := runScript(t, stubs, map[string]string{"SPASMCOACH_ROOT": root}, buildHook, out, "false")
	if r.code != 0 {
		t.Fatalf("hook exited %d: %s", r.code, r.stderr)
	}
	logged, _ := os.ReadFile(calls)
	if !regexp.MustCompile(`^make -C ` + regexp.QuoteMeta(root) + ` build LAMBDA_ZIP=/\S+\.zip\n$`).Match(logged) {
		t.Errorf("the hook ran %q, want make -C %s build LAMBDA_ZIP=<zip>", logged, root)
	}
	if data, err := os.ReadFile(out); err != nil || string(data) != "zip" {
		t.Errorf("the hook did not copy the zip to %s: %v", out, err)
	}

	// Run from infra/hooks without SPASMCOACH_ROOT, it finds the
	// repository itself.
	if err := os.Remove(calls); err != nil {
		t.Fatal(err)
	}
	out2 := filepath.Join(t.TempDir(), "build.zip")
	if r := runScript(t, stubs, nil, buildHook, out2, "true"); r.code != 0 {
		t.Errorf("hook without SPASMCOACH_ROOT exited %d: %s", r.code, r.stderr)
	}
	if logged, _ := os.ReadFile(calls); !bytes.Contains(logged, []byte("-C "+root+" build")) {
		t.Errorf("the hook ran %q, want make -C %s build", logged, root)
	}

	if r := runScript(t, stubs, nil, buildHook); r.code == 0 {
		t.Error("the hook ran without an output path")
	}
	if r := runScript(t, stubs, map[string]string{"SPASMCOACH_ROOT": t.TempDir()}, buildHook, out); r.code == 0 {
		t.Error("the hook ran outside the repository")
	}
}

// TestPrivacyDoc: PRIVACY.md states what the code does: the hashed key,
// the store's expiry, the stored time zones, the backups' window, the ways
// to delete.
func TestPrivacyDoc(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "PRIVACY.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Join(strings.Fields(string(data)), " ")
	model, err := infra.Model("en-US")
	if err != nil {
		t.Fatal(err)
	}
	forget := model.Intent(intents.IntentForgetMe)
	if forget == nil || len(forget.Samples) == 0 {
		t.Fatal("the model has no ForgetMeIntent samples")
	}
	for _, want := range []string{
		"SHA-256",
		"never holds the raw ID",
		fmt.Sprintf("expiry to %d days later", storeTTLDays()),
		"time zone of each device",
		fmt.Sprintf("more than %d days old", int(skill.ZoneMaxAge/(24*time.Hour))),
		"35 days",
		`"` + forget.Samples[0] + `"`,
		manifestName(alexa.RequestSkillDisabled),
		"Nothing you say about symptoms",
		"No audio",
		"access tokens",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("PRIVACY.md does not say %q", want)
		}
	}
}

// fakeDeployTools writes ask, aws and make stand-ins that behave like the
// real ones just enough for a full run: ask deploy records the skill and
// the stack in the project's .ask/ask-states.json as the CLI does, and
// every call is logged with the directory it ran in.
func fakeDeployTools(t *testing.T, askVersion string, stsFails bool) (dir, calls string) {
	t.Helper()
	dir = t.TempDir()
	calls = filepath.Join(dir, "calls.log")
	const arn = "arn:aws:lambda:us-east-1:123456789012:function:ask-BackSpasmCoach-default-skillStack-1700000000000"
	ask := fmt.Sprintf(`#!/bin/sh
echo "ask $* [$PWD]" >> %[1]q
case $1 in
--version) echo %[2]q ;;
deploy)
	case "$*" in
	*--target*) cp skill-package/skill.json %[3]q ;;
	*)
		[ -x hooks/build.sh ] || { echo "no build hook" >&2; exit 1; }
		mkdir -p .ask
		printf '%%s' '{"askcliStatesVersion":"2020-03-31","profiles":{"default":{"skillId":"amzn1.ask.skill.0000","skillInfrastructure":{"@ask-cli/cfn-deployer":{"deployState":{"default":{"stackId":"STACK-0","outputs":[{"OutputKey":"SkillEndpoint","OutputValue":"%[4]s"}]}}}}}}}' > .ask/ask-states.json
		;;
	esac
	;;
*) exit 97 ;;
esac
`, calls, askVersion, filepath.Join(dir, "skill-at-metadata.json"), arn)
	stsExit := 0
	if stsFails {
		stsExit = 255
	}
	aws := fmt.Sprintf(`#!/bin/sh
echo "aws $*" >> %q
case "$*" in
sts*) [ %d = 0 ] && echo 123456789012; exit %d ;;
cloudformation*) echo "SkillEndpoint arn" ;;
*) exit 97 ;;
esac
`, calls, stsExit, stsExit)
	mk := fmt.Sprintf("#!/bin/sh\necho \"make $*\" >> %q\n", calls)
	goStub := fmt.Sprintf("#!/bin/sh\necho \"go $*\" >> %q\nexit 97\n", calls)
	for name, body := range map[string]string{"ask": ask, "aws": aws, "make": mk, "go": goStub} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir, calls
}

// runDeploy runs deploy.sh for real against the fake tools, with an ASK CLI
// configuration whose profile links the given AWS profile ("" for none).
func runDeploy(t *testing.T, tools, awsProfile string, env map[string]string) scriptRun {
	t.Helper()
	home := t.TempDir()
	profile := map[string]any{"vendor_id": "M0000"}
	if awsProfile != "" {
		profile["aws_profile"] = awsProfile
	}
	cfg, err := json.Marshal(map[string]any{"profiles": map[string]any{"default": profile}})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(home, ".ask"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".ask", "cli_config"), cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", deployScript)
	cmd.Env = []string{"PATH=" + tools + string(os.PathListSeparator) + os.Getenv("PATH"), "HOME=" + home, "LANG=C"}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return scriptRun{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// TestDeployRun: a full run (against stand-ins) checks the credentials,
// builds, deploys with ask, then deploys the manifest again with the events
// endpoint the stack produced, and reports the stack's outputs.
func TestDeployRun(t *testing.T) {
	needNode(t)
	tools, calls := fakeDeployTools(t, "2.30.7", false)
	dir := filepath.Join(t.TempDir(), "spasmcoach")
	r := runDeploy(t, tools, "deployer", deployEnv(map[string]string{"DEPLOY_DIR": dir}))
	if r.code != 0 {
		t.Fatalf("deploy exited %d:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	logged, err := os.ReadFile(calls)
	if err != nil {
		t.Fatal(err)
	}
	root, _ := filepath.Abs("..")
	want := []string{
		"ask --version [",
		"aws sts get-caller-identity --region us-east-1 --profile deployer --query Account --output text",
		"make -C " + root + " build",
		"ask deploy --profile default [" + dir + "]",
		"ask deploy --profile default --target skill-metadata [" + dir + "]",
		"aws cloudformation describe-stacks --region us-east-1 --profile deployer --stack-name STACK-0 --query Stacks[0].Outputs --output table",
	}
	lines := strings.Split(strings.TrimSpace(string(logged)), "\n")
	if len(lines) != len(want) {
		t.Fatalf("calls:\n%s\nwant:\n%s", logged, strings.Join(want, "\n"))
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("call %d = %q, want %q", i+1, lines[i], w)
		}
	}
	// The second ask deploy carried the events endpoint.
	data, err := os.ReadFile(filepath.Join(tools, "skill-at-metadata.json"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := decodeManifest(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if e := m.Manifest.Events; e == nil || e.Endpoint == nil || !strings.HasPrefix(e.Endpoint.URI, "arn:aws:lambda:") {
		t.Errorf("the skill-metadata deploy had events %+v, want the function's ARN as endpoint", e)
	}
	if !strings.Contains(r.stdout, "amzn1.ask.skill.0000") {
		t.Errorf("the run does not report the skill ID:\n%s", r.stdout)
	}
}

// TestDeployRunStopsEarly: a broken setup stops the run before anything is
// built or deployed.
func TestDeployRunStopsEarly(t *testing.T) {
	needNode(t)
	for name, c := range map[string]struct {
		askVersion, awsProfile string
		stsFails               bool
		env                    map[string]string
		why                    string // in the error
	}{
		"ASK CLI v1":          {askVersion: "1.7.23", awsProfile: "deployer", why: "version 2 or later"},
		"no linked profile":   {askVersion: "2.30.7", why: "not linked to an AWS profile"},
		"unknown ASK profile": {askVersion: "2.30.7", awsProfile: "deployer", env: map[string]string{"ASK_PROFILE": "other"}, why: `no profile "other"`},
		"AWS_PROFILE differs": {askVersion: "2.30.7", awsProfile: "deployer", env: map[string]string{"AWS_PROFILE": "someone-else"}, why: "deploys with AWS profile deployer"},
		"bad credentials":     {askVersion: "2.30.7", awsProfile: "deployer", stsFails: true, why: "credentials of profile deployer do not work"},
	} {
		tools, calls := fakeDeployTools(t, c.askVersion, c.stsFails)
		env := deployEnv(c.env)
		env["DEPLOY_DIR"] = filepath.Join(t.TempDir(), "spasmcoach")
		r := runDeploy(t, tools, c.awsProfile, env)
		if r.code == 0 {
			t.Errorf("%s: deploy succeeded", name)
			continue
		}
		if !strings.Contains(r.stderr, c.why) {
			t.Errorf("%s: the error does not say %q:\n%s", name, c.why, r.stderr)
		}
		logged, _ := os.ReadFile(calls)
		if bytes.Contains(logged, []byte("make ")) || bytes.Contains(logged, []byte("ask deploy")) {
			t.Errorf("%s: built or deployed before failing:\n%s", name, logged)
		}
		if _, err := os.Stat(env["DEPLOY_DIR"]); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: staged a project before failing", name)
		}
	}
}
