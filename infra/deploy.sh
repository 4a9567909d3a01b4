#!/usr/bin/env bash
# Deploy Spasm Coach: the skill package to the Alexa developer account and
# the Lambda function, table and role to AWS, in one command.
#
#     ICON_SMALL_URL=https://... ICON_LARGE_URL=https://... \
#     PRIVACY_URL=https://... AWS_REGION=us-east-1 infra/deploy.sh [--dry-run]
#
# Inputs (environment variables), all checked before anything is deployed:
#   ICON_SMALL_URL  required  https URL of the 108x108 PNG skill icon
#   ICON_LARGE_URL  required  https URL of the 512x512 PNG skill icon
#   PRIVACY_URL     required  https URL of the privacy policy (publish
#                             PRIVACY.md, adapted to you, the deployer)
#   AWS_REGION      required  AWS region of the stack: us-east-1 for skills
#                             used in North America, eu-west-1 in Europe and
#                             India, us-west-2 in the Far East
#   ASK_PROFILE     optional  ASK CLI profile (`ask configure`), default
#                             "default"; the AWS profile linked to it is the
#                             one that deploys
#   TERMS_URL       optional  https URL of terms of use
#   LOG_LEVEL       optional  the function's log level: debug, info
#                             (default), warn or error
#   SPEECH_PACING   optional  how paced cues are sent: apla (default, an APL
#                             for Audio document) or ssml (timed speech)
#   ALARM_EMAIL     optional  email address the CloudWatch alarms are sent
#                             to (AWS first asks it to confirm); give it on
#                             every deploy, or the subscription is removed
#   DEPLOY_DIR      optional  the ASK project this script stages for the CLI,
#                             default <repo>/.deploy/spasmcoach. It keeps the
#                             CLI's state (.ask/ask-states.json: the skill ID,
#                             the stack, the code bucket): keep it between
#                             deploys, or the next deploy creates a new skill.
#
# What it does, in order:
#   1. checks the inputs and the tools (go, make, node, and unless --dry-run
#      ask and aws) and, unless --dry-run, that the ASK profile is linked to
#      an AWS profile whose credentials work;
#   2. builds the function (`make build`), so that a broken build stops here;
#   3. stages the ASK project in DEPLOY_DIR: ask-resources.json (profile,
#      region), the skill package with the manifest's placeholders replaced by
#      the inputs, the CloudFormation template and the build hook;
#   4. runs `ask deploy`, which breaks the skill-ID/ARN circle by itself:
#      it deploys the skill package first (creating the skill and its ID on
#      the first run), builds the code through hooks/build.sh, deploys the
#      stack with that skill ID (the @ask-cli/cfn-deployer passes SkillId,
#      so the Lambda permission and SKILL_ID name this skill), then writes
#      the stack's SkillEndpoint output (the function ARN) into the manifest
#      and deploys the skill package again;
#   5. adds the events endpoint (the same ARN, for SKILL_DISABLED) to the
#      manifest and deploys the skill package once more: Alexa refuses a
#      manifest whose events have no endpoint, and the ARN exists only after
#      step 4 (later deploys know it from the start);
#   6. shows the stack's outputs.
#
# --dry-run does steps 1 and 3 (which touch nothing outside DEPLOY_DIR) and
# prints the commands of the others without running them; it never calls
# ask or aws, which need not be installed, and deploys nothing.
set -euo pipefail

usage() {
	sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
}

dry_run=false
for arg in "$@"; do
	case $arg in
	--dry-run) dry_run=true ;;
	-h | --help)
		usage
		exit 0
		;;
	*)
		echo "deploy.sh: unknown argument: $arg (see --help)" >&2
		exit 2
		;;
	esac
done

infra=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
root=$(dirname "$infra")
ask_profile=${ASK_PROFILE:-default}
log_level=${LOG_LEVEL:-info}
speech_pacing=${SPEECH_PACING:-apla}
alarm_email=${ALARM_EMAIL:-}
deploy_dir=${DEPLOY_DIR:-$root/.deploy/spasmcoach}
# The template's LogLevel parameter allows exactly these (a test checks).
log_levels="debug info warn error"
# The CloudFormation deployer of ask-resources.json, whose state holds the
# stack and its outputs.
infra_type="@ask-cli/cfn-deployer"

step_no=0
step() {
	step_no=$((step_no + 1))
	printf '\n==> [%d/6] %s\n' "$step_no" "$*"
}

# run prints a command and runs it, unless this is a dry run.
run() {
	printf '+'
	printf ' %q' "$@"
	printf '\n'
	if ! $dry_run; then
		"$@"
	fi
}

# run_in is run in another directory.
run_in() {
	local dir=$1
	shift
	printf '+ (cd %q &&' "$dir"
	printf ' %q' "$@"
	printf ')\n'
	if ! $dry_run; then
		(cd "$dir" && "$@")
	fi
}

fail() {
	echo "deploy.sh: $*" >&2
	exit 1
}

# ---------------------------------------------------------------- 1. checks
step "Check inputs and prerequisites"
problems=()
check_url() {
	local name=$1 value=${!1:-} required=$2
	if [ -z "$value" ]; then
		if $required; then
			problems+=("$name is not set")
		fi
		return
	fi
	if ! [[ $value =~ ^https://[^[:space:]\"\\]+$ ]]; then
		problems+=("$name must be an https:// URL without spaces or quotes, not \"$value\"")
	elif [[ $value =~ ^https://([^/]*\.)?example\.(com|org|net)([:/]|$) || $value == *__*__* ]]; then
		problems+=("$name is a placeholder (\"$value\"): give the real URL")
	fi
}
check_url ICON_SMALL_URL true
check_url ICON_LARGE_URL true
check_url PRIVACY_URL true
check_url TERMS_URL false
if [ -z "${AWS_REGION:-}" ]; then
	problems+=("AWS_REGION is not set (us-east-1, eu-west-1 or us-west-2)")
elif ! [[ $AWS_REGION =~ ^[a-z]{2}(-gov)?-[a-z]+-[0-9]+$ ]]; then
	problems+=("AWS_REGION is not an AWS region: \"$AWS_REGION\"")
fi
if ! [[ $ask_profile =~ ^[A-Za-z0-9_-]+$ ]]; then
	problems+=("ASK_PROFILE is not a profile name: \"$ask_profile\"")
fi
if ! [[ " $log_levels " == *" $log_level "* ]]; then
	problems+=("LOG_LEVEL must be one of: $log_levels (not \"$log_level\")")
fi
# The template's SpeechPacing parameter allows exactly these.
if [[ $speech_pacing != apla && $speech_pacing != ssml ]]; then
	problems+=("SPEECH_PACING must be apla or ssml (not \"$speech_pacing\")")
fi
# The template's AlarmEmail pattern (a test checks they agree).
if [ -n "$alarm_email" ] && ! [[ $alarm_email =~ ^[^@[:space:]\"]+@[^@[:space:]\"]+\.[^@[:space:]\"]+$ ]]; then
	problems+=("ALARM_EMAIL is not an email address: \"$alarm_email\"")
fi
# The ASK CLI names the code bucket after this folder, keeping dots, which
# S3 refuses next to a hyphen.
deploy_base=$(basename "$deploy_dir")
if ! [[ $deploy_base =~ ^[A-Za-z0-9][A-Za-z0-9_-]*$ ]]; then
	problems+=("DEPLOY_DIR must end in a folder name of letters, digits, - or _ (not \"$deploy_base\")")
fi
tools="go make node"
if ! $dry_run; then
	tools="ask aws $tools"
fi
for tool in $tools; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		case $tool in
		ask) hint="npm install -g ask-cli, then ask configure" ;;
		aws) hint="https://docs.aws.amazon.com/cli/" ;;
		go) hint="https://go.dev/dl/" ;;
		make) hint="your system's package manager" ;;
		node) hint="Node.js, which the ASK CLI needs anyway" ;;
		esac
		problems+=("$tool is not installed ($hint)")
	fi
done
if [ ${#problems[@]} -gt 0 ]; then
	echo "deploy.sh: cannot deploy; nothing was deployed:" >&2
	printf '  - %s\n' "${problems[@]}" >&2
	echo "See infra/deploy.sh --help." >&2
	exit 1
fi
case $AWS_REGION in
us-east-1 | eu-west-1 | us-west-2) ;;
*) echo "warning: AWS_REGION $AWS_REGION is not one the ASK CLI uses for an Alexa region (us-east-1, eu-west-1, us-west-2)" >&2 ;;
esac

aws_profile=""
if $dry_run; then
	echo "dry run: not checking the ASK CLI version, the ASK profile's AWS link or the AWS credentials"
else
	ask_version=$(ask --version 2>/dev/null | tr -d '[:space:]') || fail "ask --version failed; is the ASK CLI installed?"
	if ! [[ $ask_version =~ ^([0-9]+)\. ]] || [ "${BASH_REMATCH[1]}" -lt 2 ]; then
		fail "the ASK CLI is version \"$ask_version\"; version 2 or later is needed (npm install -g ask-cli)"
	fi
	if [ "$ask_profile" = __ENVIRONMENT_ASK_PROFILE__ ]; then
		# The ASK CLI then takes AWS credentials from the environment too.
		aws_profile=""
	else
		aws_profile=$(ASK_PROFILE_NAME=$ask_profile node -e '
			const fs = require("fs"), os = require("os"), path = require("path");
			let cfg;
			try {
				cfg = JSON.parse(fs.readFileSync(path.join(os.homedir(), ".ask", "cli_config"), "utf8"));
			} catch (e) {
				process.exit(3);
			}
			const p = ((cfg.profiles || {})[process.env.ASK_PROFILE_NAME]) || null;
			if (!p) process.exit(4);
			if (!p.aws_profile) process.exit(5);
			process.stdout.write(String(p.aws_profile));
		') || case $? in
		3) fail "no ASK CLI configuration (~/.ask/cli_config): run ask configure" ;;
		4) fail "the ASK CLI has no profile \"$ask_profile\": run ask configure --profile $ask_profile" ;;
		5) fail "ASK profile \"$ask_profile\" is not linked to an AWS profile, so it cannot deploy the stack: run ask configure --profile $ask_profile and link one" ;;
		*) fail "cannot read the ASK CLI configuration" ;;
		esac
		if [ -n "${AWS_PROFILE:-}" ] && [ "$AWS_PROFILE" != "$aws_profile" ]; then
			fail "AWS_PROFILE is $AWS_PROFILE, but ASK profile \"$ask_profile\" deploys with AWS profile $aws_profile: unset AWS_PROFILE or link the profile you mean"
		fi
	fi
	aws_args=(--region "$AWS_REGION")
	if [ -n "$aws_profile" ]; then
		aws_args+=(--profile "$aws_profile")
	fi
	account=$(aws sts get-caller-identity "${aws_args[@]}" --query Account --output text) ||
		fail "the AWS credentials${aws_profile:+ of profile $aws_profile} do not work"
	echo "ASK CLI $ask_version, ASK profile $ask_profile, AWS ${aws_profile:+profile $aws_profile, }account $account, region $AWS_REGION"
fi

# ----------------------------------------------------------------- 2. build
step "Build the Lambda function (make build)"
run make -C "$root" build

# ----------------------------------------------------------------- 3. stage
# render writes the staged ASK project. With "require-arn" it fails unless
# the CLI's state holds the stack's SkillEndpoint output.
render() {
	SC_INFRA=$infra SC_DEPLOY_DIR=$deploy_dir SC_PROFILE=$ask_profile \
		SC_REGION=$AWS_REGION SC_LOG_LEVEL=$log_level SC_SPEECH_PACING=$speech_pacing SC_INFRA_TYPE=$infra_type \
		SC_ALARM_EMAIL=$alarm_email \
		SC_ICON_SMALL_URL=$ICON_SMALL_URL SC_ICON_LARGE_URL=$ICON_LARGE_URL \
		SC_PRIVACY_URL=$PRIVACY_URL SC_TERMS_URL=${TERMS_URL:-} SC_MODE=$1 \
		node - <<'JS'
"use strict";
const fs = require("fs");
const path = require("path");
const env = process.env;
const die = (msg) => { process.stderr.write("deploy.sh: " + msg + "\n"); process.exit(1); };
const readJSON = (file) => {
	try { return JSON.parse(fs.readFileSync(file, "utf8")); }
	catch (e) { die("cannot read " + file + ": " + e.message); }
};
const writeJSON = (file, value) => fs.writeFileSync(file, JSON.stringify(value, null, 2) + "\n");
const dir = env.SC_DEPLOY_DIR, src = env.SC_INFRA, profile = env.SC_PROFILE;

// The stack's SkillEndpoint output, recorded by the CLI after a deploy.
function endpointArn() {
	const statesFile = path.join(dir, ".ask", "ask-states.json");
	if (!fs.existsSync(statesFile)) return "";
	const states = readJSON(statesFile);
	const p = ((states.profiles || {})[profile]) || {};
	const infra = ((p.skillInfrastructure || {})[env.SC_INFRA_TYPE]) || {};
	const outputs = (((infra.deployState || {}).default) || {}).outputs || [];
	const out = outputs.find((o) => o.OutputKey === "SkillEndpoint");
	if (!out) return "";
	if (!/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+$/.test(out.OutputValue)) {
		die("the stack's SkillEndpoint output is not a Lambda function ARN: " + out.OutputValue);
	}
	return out.OutputValue;
}

const arn = endpointArn();
if (env.SC_MODE === "require-arn" && !arn) {
	die("the stack deploy recorded no SkillEndpoint output in " + path.join(dir, ".ask", "ask-states.json"));
}

// ask-resources.json: the committed one, under the chosen profile and region.
const resources = readJSON(path.join(src, "ask-resources.json"));
const names = Object.keys(resources.profiles || {});
if (names.length !== 1) die("infra/ask-resources.json must hold exactly one profile");
const prof = resources.profiles[names[0]];
if (prof.skillInfrastructure.type !== env.SC_INFRA_TYPE) die("infra/ask-resources.json must use " + env.SC_INFRA_TYPE);
const uc = prof.skillInfrastructure.userConfig;
uc.awsRegion = env.SC_REGION;
uc.cfn = uc.cfn || {};
uc.cfn.parameters = Object.assign({}, uc.cfn.parameters, { LogLevel: env.SC_LOG_LEVEL, SpeechPacing: env.SC_SPEECH_PACING });
if (env.SC_ALARM_EMAIL) uc.cfn.parameters.AlarmEmail = env.SC_ALARM_EMAIL;
resources.profiles = { [profile]: prof };

// skill.json: every placeholder replaced, or its field dropped when the
// value is optional (terms of use) or not known yet (the endpoint before the
// first stack deploy, and with it the events, which need an endpoint).
const values = {
	__ICON_SMALL_URL__: env.SC_ICON_SMALL_URL,
	__ICON_LARGE_URL__: env.SC_ICON_LARGE_URL,
	__PRIVACY_URL__: env.SC_PRIVACY_URL,
	__TERMS_URL__: env.SC_TERMS_URL,
	__LAMBDA_ARN__: arn,
};
const skill = readJSON(path.join(src, "skill-package", "skill.json"));
const manifest = skill.manifest;
if (!arn) {
	delete manifest.events;
	if (manifest.apis && manifest.apis.custom) delete manifest.apis.custom.endpoint;
}
function fill(node) {
	if (Array.isArray(node)) return node.map(fill);
	if (node && typeof node === "object") {
		for (const key of Object.keys(node)) {
			const v = node[key];
			if (typeof v === "string" && Object.prototype.hasOwnProperty.call(values, v)) {
				if (values[v]) node[key] = values[v];
				else delete node[key];
			} else {
				node[key] = fill(v);
			}
		}
	}
	return node;
}
fill(skill);
const rendered = JSON.stringify(skill, null, 2) + "\n";
const left = rendered.match(/__[A-Z0-9_]+__/g);
if (left) die("skill.json still has placeholders after filling in the inputs: " + Array.from(new Set(left)).join(", "));

// Write the project. Only generated files are replaced; .ask/ (the CLI's
// state) is kept.
fs.mkdirSync(dir, { recursive: true });
writeJSON(path.join(dir, "ask-resources.json"), resources);
const pkg = path.join(dir, "skill-package");
fs.rmSync(pkg, { recursive: true, force: true });
fs.mkdirSync(pkg, { recursive: true });
(function copyDir(from, to) {
	fs.mkdirSync(to, { recursive: true });
	for (const e of fs.readdirSync(from, { withFileTypes: true })) {
		if (e.isDirectory()) copyDir(path.join(from, e.name), path.join(to, e.name));
		else if (e.isFile()) fs.copyFileSync(path.join(from, e.name), path.join(to, e.name));
	}
})(path.join(src, "skill-package", "interactionModels"), path.join(pkg, "interactionModels"));
fs.writeFileSync(path.join(pkg, "skill.json"), rendered);
fs.copyFileSync(path.join(src, uc.templatePath), path.join(dir, uc.templatePath));
fs.mkdirSync(path.join(dir, "hooks"), { recursive: true });
fs.copyFileSync(path.join(src, "hooks", "build.sh"), path.join(dir, "hooks", "build.sh"));
fs.chmodSync(path.join(dir, "hooks", "build.sh"), 0o755);
const code = path.join(dir, prof.code.default.src);
fs.mkdirSync(code, { recursive: true });
fs.writeFileSync(path.join(code, "README.txt"),
	"The ASK CLI needs a code folder. The Lambda zip is built from the repository by hooks/build.sh (make build).\n");
console.log("staged " + dir + (arn ? " (endpoint " + arn + ")" : " (endpoint not known yet: first deploy)"));
JS
}

step "Stage the ASK project in $deploy_dir"
export SPASMCOACH_ROOT=$root
render any

# ---------------------------------------------------------------- 4. deploy
step "Deploy: skill package, code, stack (SkillId), skill endpoint (ask deploy)"
run_in "$deploy_dir" ask deploy --profile "$ask_profile"

# ---------------------------------------------------------------- 5. events
step "Subscribe SKILL_DISABLED at the function (ask deploy --target skill-metadata)"
if $dry_run; then
	echo "dry run: the manifest gets its events endpoint from the stack's SkillEndpoint output"
else
	render require-arn
fi
run_in "$deploy_dir" ask deploy --profile "$ask_profile" --target skill-metadata

# ---------------------------------------------------------------- 6. report
step "Stack outputs"
states=$deploy_dir/.ask/ask-states.json
if $dry_run; then
	# Known only after a deploy; they are in $states then.
	stack_id=STACK_ID
	skill_id=SKILL_ID
else
	read -r skill_id stack_id < <(SC_STATES=$states SC_PROFILE=$ask_profile SC_INFRA_TYPE=$infra_type node -e '
		const s = JSON.parse(require("fs").readFileSync(process.env.SC_STATES, "utf8"));
		const p = s.profiles[process.env.SC_PROFILE] || {};
		const d = (((p.skillInfrastructure || {})[process.env.SC_INFRA_TYPE] || {}).deployState || {}).default || {};
		console.log((p.skillId || "?") + " " + (d.stackId || "?"));
	')
fi
aws_args=(--region "$AWS_REGION")
if [ -n "$aws_profile" ]; then
	aws_args+=(--profile "$aws_profile")
fi
run aws cloudformation describe-stacks "${aws_args[@]}" --stack-name "$stack_id" \
	--query "Stacks[0].Outputs" --output table
echo
if $dry_run; then
	echo "Dry run: nothing was deployed. The project is staged in $deploy_dir; run without --dry-run to deploy it."
	exit 0
fi
echo "Deployed skill $skill_id. Test it in the Alexa developer console (Test tab) or with"
echo "  (cd $deploy_dir && ask dialog --locale en-US --profile $ask_profile)"
echo "Keep $deploy_dir/.ask: it records the skill and the stack for the next deploy."
if [ -n "$alarm_email" ]; then
	echo "Alarms go to $alarm_email once it confirms the subscription (AWS sent it an email)."
else
	echo "No ALARM_EMAIL: the alarms show in the CloudWatch console only."
fi
