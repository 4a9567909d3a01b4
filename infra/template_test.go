package infra_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/awslabs/goformation/v7/intrinsics"

	"spasmcoach/store"
)

// The deployment template (template.yaml), checked against the code it
// deploys. goformation decodes every resource into its CloudFormation type
// with unknown properties refused; intrinsic functions are kept in
// goformation's encoding, so a property holding !Ref Table equals
// cloudformation.Ref("Table"). The raw template is checked as well: its
// sections strictly, and every Ref, Fn::GetAtt and Fn::Sub must name
// something that exists.

const templateFile = "template.yaml"

// maxTemplateBody is CloudFormation's limit on a template passed inline
// (the cfn-deployer's CreateStack/UpdateStack TemplateBody), in bytes.
const maxTemplateBody = 51200

// Alexa waits at most 8 s for a response
// (https://developer.amazon.com/en-US/blogs/alexa/alexa-skills-kit/2019/10/tips-for-developing-high-performance-alexa-skills1);
// each turn budgets 6 s (intents.DefaultTurnBudget).
const (
	alexaDeadlineSeconds = 8
	turnBudgetSeconds    = 6
)

// cfnDeployerParameters are the parameters the ASK CLI's cfn-deployer
// passes to every stack (alexa/ask-cli,
// lib/builtins/deploy-delegates/cfn-deployer/index.js, _mapStackParameters);
// a template that does not declare one fails to deploy. It refuses them in
// userConfig.cfn.parameters.
var cfnDeployerParameters = []string{"SkillId", "LambdaRuntime", "LambdaHandler", "CodeBucket", "CodeKey", "CodeVersion"}

// cfnDeployerOutput is the output the cfn-deployer reads the endpoint from
// (helper.js, waitForStackDeploy).
const cfnDeployerOutput = "SkillEndpoint"

// loadTemplate parses the template with goformation, keeping intrinsics.
func loadTemplate(t *testing.T) *cloudformation.Template {
	t.Helper()
	tmpl, err := goformation.OpenWithOptions(templateFile, &intrinsics.ProcessorOptions{
		IntrinsicHandlerOverrides: cloudformation.EncoderIntrinsics,
	})
	if err != nil {
		t.Fatalf("goformation: %v", err)
	}
	return tmpl
}

// soleResource returns the single resource of a type, failing unless there is
// exactly one.
func soleResource[R any](t *testing.T, what string, all map[string]R) (string, R) {
	t.Helper()
	if len(all) != 1 {
		t.Fatalf("the template has %d %s resources, want 1", len(all), what)
	}
	for name, r := range all {
		return name, r
	}
	panic("unreachable")
}

// Raw template sections, decoded strictly: a section or a key the template
// does not use (Transform, Conditions, a misspelt Properties) is an error.
type (
	rawTemplate struct {
		AWSTemplateFormatVersion string                  `json:"AWSTemplateFormatVersion"`
		Description              string                  `json:"Description"`
		Parameters               map[string]rawParameter `json:"Parameters"`
		Conditions               map[string]any          `json:"Conditions"`
		Resources                map[string]rawResource  `json:"Resources"`
		Outputs                  map[string]rawOutput    `json:"Outputs"`
	}
	rawParameter struct {
		Type                  string `json:"Type"`
		Description           string `json:"Description"`
		Default               any    `json:"Default"`
		AllowedValues         []any  `json:"AllowedValues"`
		AllowedPattern        string `json:"AllowedPattern"`
		ConstraintDescription string `json:"ConstraintDescription"`
	}
	rawResource struct {
		Type                string          `json:"Type"`
		Condition           string          `json:"Condition"`
		Properties          json.RawMessage `json:"Properties"`
		DependsOn           any             `json:"DependsOn"`
		DeletionPolicy      string          `json:"DeletionPolicy"`
		UpdateReplacePolicy string          `json:"UpdateReplacePolicy"`
	}
	rawOutput struct {
		Description string `json:"Description"`
		Value       any    `json:"Value"`
	}
)

// decodeRawTemplate turns YAML (short-form intrinsics included) into the
// raw template and its generic JSON form.
func decodeRawTemplate(yamlData []byte) (*rawTemplate, any, error) {
	data, err := intrinsics.ProcessYAML(yamlData, &intrinsics.ProcessorOptions{NoProcess: true})
	if err != nil {
		return nil, nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var raw rawTemplate
	if err := dec.Decode(&raw); err != nil {
		return nil, nil, err
	}
	var generic any
	if err := json.Unmarshal(data, &generic); err != nil {
		return nil, nil, err
	}
	return &raw, generic, nil
}

// pseudoParameters are CloudFormation's own parameters.
var pseudoParameters = []string{
	"AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition",
	"AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix",
}

// intrinsicFunctions are CloudFormation's intrinsic function keys.
var intrinsicFunctions = []string{
	"Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::If",
	"Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Fn::FindInMap", "Fn::GetAZs",
	"Fn::ImportValue", "Fn::Base64", "Fn::Cidr", "Fn::Length", "Fn::ToJsonString", "Condition",
}

// getAttAttributes are the attributes Fn::GetAtt may read, by resource type
// (CloudFormation's resource reference, "Return values"), for the types the
// template uses. A type not listed fails the check: add it.
var getAttAttributes = map[string][]string{
	"AWS::DynamoDB::Table":  {"Arn", "StreamArn"},
	"AWS::IAM::Role":        {"Arn", "RoleId"},
	"AWS::Lambda::Function": {"Arn"},
	"AWS::Logs::LogGroup":   {"Arn"},
}

var subVariable = regexp.MustCompile(`\$\{([^}]*)\}`)

// checkReferences walks the raw template: every intrinsic must be a known
// function alone in its object, and every Ref, Fn::GetAtt and Fn::Sub
// variable must name a parameter, a pseudo parameter, or a resource (and
// an attribute its type has). It returns the problems found and, by
// resource, the resources it refers to.
func checkReferences(raw *rawTemplate, generic any) (problems []string, deps map[string][]string) {
	deps = map[string][]string{}
	refTarget := func(from, name string) {
		switch {
		case slices.Contains(pseudoParameters, name):
		case raw.Parameters[name].Type != "":
		case raw.Resources[name].Type != "":
			if from != "" && !slices.Contains(deps[from], name) {
				deps[from] = append(deps[from], name)
			}
		default:
			problems = append(problems, fmt.Sprintf("%s: Ref to %q, which is not a parameter or resource", refSite(from), name))
		}
	}
	getAtt := func(from, res, attr string) {
		r, ok := raw.Resources[res]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: Fn::GetAtt of %q, which is not a resource", refSite(from), res))
			return
		}
		attrs, known := getAttAttributes[r.Type]
		if !known {
			problems = append(problems, fmt.Sprintf("%s: Fn::GetAtt of %s, a %s: add its attributes to getAttAttributes", refSite(from), res, r.Type))
		} else if !slices.Contains(attrs, attr) {
			problems = append(problems, fmt.Sprintf("%s: Fn::GetAtt %s.%s: type %s has no attribute %q", refSite(from), res, attr, r.Type, attr))
		}
		if from != "" && !slices.Contains(deps[from], res) {
			deps[from] = append(deps[from], res)
		}
	}
	var walk func(from string, v any)
	walk = func(from string, v any) {
		switch v := v.(type) {
		case []any:
			for _, x := range v {
				walk(from, x)
			}
		case map[string]any:
			for key, arg := range v {
				fn := key == "Ref" || strings.HasPrefix(key, "Fn::")
				if !fn {
					walk(from, arg)
					continue
				}
				if !slices.Contains(intrinsicFunctions, key) {
					problems = append(problems, fmt.Sprintf("%s: unknown intrinsic function %s", refSite(from), key))
					continue
				}
				if len(v) != 1 {
					problems = append(problems, fmt.Sprintf("%s: %s shares its object with other keys", refSite(from), key))
				}
				switch key {
				case "Ref":
					name, ok := arg.(string)
					if !ok {
						problems = append(problems, fmt.Sprintf("%s: Ref takes a name, not %v", refSite(from), arg))
						continue
					}
					refTarget(from, name)
				case "Fn::GetAtt":
					var parts []string
					switch a := arg.(type) {
					case string:
						parts = strings.SplitN(a, ".", 2)
					case []any:
						for _, p := range a {
							s, _ := p.(string)
							parts = append(parts, s)
						}
					}
					if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
						problems = append(problems, fmt.Sprintf("%s: Fn::GetAtt takes [resource, attribute], not %v", refSite(from), arg))
						continue
					}
					getAtt(from, parts[0], parts[1])
				case "Fn::Sub":
					str, vars := "", map[string]any{}
					switch a := arg.(type) {
					case string:
						str = a
					case []any:
						if len(a) == 2 {
							str, _ = a[0].(string)
							vars, _ = a[1].(map[string]any)
							walk(from, a[1])
						}
					}
					if str == "" {
						problems = append(problems, fmt.Sprintf("%s: Fn::Sub takes a string or [string, variables], not %v", refSite(from), arg))
						continue
					}
					for _, m := range subVariable.FindAllStringSubmatch(str, -1) {
						name := m[1]
						switch {
						case strings.HasPrefix(name, "!"): // ${!Literal}
						case vars[name] != nil:
						case strings.Contains(name, "."):
							res, attr, _ := strings.Cut(name, ".")
							getAtt(from, res, attr)
						default:
							refTarget(from, name)
						}
					}
				default:
					walk(from, arg)
				}
			}
		}
	}
	doc, _ := generic.(map[string]any)
	resources, _ := doc["Resources"].(map[string]any)
	for name, r := range resources {
		walk(name, r)
		switch d := raw.Resources[name].DependsOn.(type) {
		case nil:
		case string:
			refTarget(name, d)
		case []any:
			for _, x := range d {
				s, _ := x.(string)
				refTarget(name, s)
			}
		}
	}
	walk("", doc["Outputs"])
	walk("", doc["Parameters"])
	if cycle := findCycle(deps); cycle != nil {
		problems = append(problems, "circular dependency: "+strings.Join(cycle, " → "))
	}
	slices.Sort(problems)
	return problems, deps
}

// refSite names where a reference is, for messages.
func refSite(from string) string {
	if from == "" {
		return "outputs"
	}
	return "resource " + from
}

// findCycle returns a dependency cycle (CloudFormation refuses those), or
// nil.
func findCycle(deps map[string][]string) []string {
	const (
		unseen = iota
		active
		done
	)
	state := map[string]int{}
	var stack []string
	var visit func(n string) []string
	visit = func(n string) []string {
		switch state[n] {
		case active:
			i := slices.Index(stack, n)
			return append(slices.Clone(stack[i:]), n)
		case done:
			return nil
		}
		state[n] = active
		stack = append(stack, n)
		for _, d := range deps[n] {
			if c := visit(d); c != nil {
				return c
			}
		}
		stack = stack[:len(stack)-1]
		state[n] = done
		return nil
	}
	for _, n := range slices.Sorted(maps.Keys(deps)) {
		if c := visit(n); c != nil {
			return c
		}
	}
	return nil
}

func loadRawTemplate(t *testing.T) (*rawTemplate, any, []byte) {
	t.Helper()
	data, err := os.ReadFile(templateFile)
	if err != nil {
		t.Fatal(err)
	}
	raw, generic, err := decodeRawTemplate(data)
	if err != nil {
		t.Fatalf("decode %s strictly: %v", templateFile, err)
	}
	return raw, generic, data
}

// TestTemplateParsesStrictly: goformation decodes every resource (unknown
// properties refused), the sections are the known ones, every reference
// resolves, nothing depends on itself, and the template fits the
// cfn-deployer's inline template body.
func TestTemplateParsesStrictly(t *testing.T) {
	tmpl := loadTemplate(t)
	raw, generic, data := loadRawTemplate(t)
	if tmpl.AWSTemplateFormatVersion != "2010-09-09" {
		t.Errorf("AWSTemplateFormatVersion = %q, want 2010-09-09", tmpl.AWSTemplateFormatVersion)
	}
	if tmpl.Transform != nil {
		t.Error("the template has a Transform; the cfn-deployer passes only CAPABILITY_IAM, so SAM cannot run")
	}
	if len(tmpl.Resources) != len(raw.Resources) {
		t.Errorf("goformation decoded %d resources of %d", len(tmpl.Resources), len(raw.Resources))
	}
	problems, _ := checkReferences(raw, generic)
	for _, p := range problems {
		t.Error(p)
	}
	if len(data) > maxTemplateBody {
		t.Errorf("%s is %d bytes; CloudFormation takes at most %d inline", templateFile, len(data), maxTemplateBody)
	}
}

// TestTemplateCheckersCatchMistakes: the checks above fail on the mistakes
// they exist for.
func TestTemplateCheckersCatchMistakes(t *testing.T) {
	const head = "AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n  P:\n    Type: String\nResources:\n"
	goformationBad := map[string]string{
		"unknown property": head + "  T:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      RetentionDays: 30\n",
		"unknown type":     head + "  T:\n    Type: AWS::Logs::LogGrup\n",
		"nested typo":      head + "  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      KeySchema: [{AttributeName: id, KeyTyp: HASH}]\n",
	}
	for name, doc := range goformationBad {
		if _, err := goformation.ParseYAMLWithOptions([]byte(doc), &intrinsics.ProcessorOptions{IntrinsicHandlerOverrides: cloudformation.EncoderIntrinsics}); err == nil {
			t.Errorf("goformation accepted a template with an %s", name)
		}
	}
	referenceBad := map[string]string{
		"Ref to nothing":       head + "  T:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: !Ref Q\n",
		"unknown attribute":    head + "  T:\n    Type: AWS::Logs::LogGroup\n  U:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: !GetAtt T.Name\n",
		"Sub of nothing":       head + "  T:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: !Sub /x/${Nope}\n",
		"unknown function":     head + "  T:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: {\"Fn::Concat\": [a, b]}\n",
		"cycle":                head + "  T:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: !GetAtt U.Arn\n  U:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: !Sub ${T}\n",
		"DependsOn on nothing": head + "  T:\n    Type: AWS::Logs::LogGroup\n    DependsOn: Q\n",
	}
	for name, doc := range referenceBad {
		raw, generic, err := decodeRawTemplate([]byte(doc))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if problems, _ := checkReferences(raw, generic); len(problems) == 0 {
			t.Errorf("checkReferences found nothing wrong with a template with a %s", name)
		}
	}
	if _, _, err := decodeRawTemplate([]byte(head + "  T:\n    Type: AWS::Logs::LogGroup\n    Propertys: {}\n")); err == nil {
		t.Error("decodeRawTemplate accepted a misspelt resource key")
	}
	if _, _, err := decodeRawTemplate([]byte("Transform: AWS::Serverless-2016-10-31\n" + head)); err == nil {
		t.Error("decodeRawTemplate accepted a Transform")
	}
}

// TestTemplateResources: the function, its table, role, log group and
// Alexa permission, the alarms with their metric filters and topic, and
// nothing else (no other policy or role that could widen the function's
// rights).
func TestTemplateResources(t *testing.T) {
	raw, _, _ := loadRawTemplate(t)
	var got []string
	for _, r := range raw.Resources {
		got = append(got, r.Type)
	}
	slices.Sort(got)
	want := []string{"AWS::DynamoDB::Table", "AWS::IAM::Role", "AWS::Lambda::Function", "AWS::Lambda::Permission", "AWS::Logs::LogGroup"}
	want = append(want, slices.Repeat([]string{"AWS::CloudWatch::Alarm"}, len(wantAlarms))...)
	want = append(want, "AWS::Logs::MetricFilter", "AWS::Logs::MetricFilter", "AWS::SNS::Topic")
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("resource types = %v, want %v", got, want)
	}
}

// TestTemplateParameters: the template declares what the cfn-deployer
// passes and what ask-resources.json adds, every parameter without a
// default is one of those, and every parameter is used.
func TestTemplateParameters(t *testing.T) {
	raw, generic, _ := loadRawTemplate(t)
	res := loadAskResources(t)
	extra := res.profile().SkillInfrastructure.UserConfig.Cfn.Parameters
	for _, p := range cfnDeployerParameters {
		if raw.Parameters[p].Type == "" {
			t.Errorf("parameter %s is not declared; the cfn-deployer passes it", p)
		}
		if _, ok := extra[p]; ok {
			t.Errorf("ask-resources.json sets %s in cfn.parameters; the cfn-deployer refuses reserved names", p)
		}
	}
	for p, v := range extra {
		param, ok := raw.Parameters[p]
		if !ok {
			t.Errorf("ask-resources.json passes parameter %s, which the template does not declare", p)
			continue
		}
		if len(param.AllowedValues) > 0 && !slices.Contains(param.AllowedValues, any(v)) {
			t.Errorf("ask-resources.json passes %s=%q, not one of %v", p, v, param.AllowedValues)
		}
	}
	used := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case []any:
			for _, x := range v {
				walk(x)
			}
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && (k == "Ref" || k == "Fn::Sub") {
					used[s] = true
					for _, m := range subVariable.FindAllStringSubmatch(s, -1) {
						used[m[1]] = true
					}
				}
				walk(x)
			}
		}
	}
	doc := generic.(map[string]any)
	walk(doc["Resources"])
	walk(doc["Outputs"])
	for name, p := range raw.Parameters {
		if p.Type != "String" {
			t.Errorf("parameter %s has type %q, want String", name, p.Type)
		}
		if p.Default == nil && !slices.Contains(cfnDeployerParameters, name) {
			if _, ok := extra[name]; !ok {
				t.Errorf("parameter %s has no default and nobody passes it", name)
			}
		}
		if !used[name] {
			t.Errorf("parameter %s is declared but not used", name)
		}
	}
	// The skill ID pattern accepts skill IDs and nothing else.
	pattern := regexp.MustCompile("^(?:" + raw.Parameters["SkillId"].AllowedPattern + ")$")
	for id, ok := range map[string]bool{
		"amzn1.ask.skill.12345678-90ab-cdef-1234-567890abcdef": true,
		"": false, "amzn1.ask.account.X": false, "amzn1.ask.skill.x,amzn1.ask.skill.y": false,
	} {
		if pattern.MatchString(id) != ok {
			t.Errorf("SkillId pattern %q matches %q: %v, want %v", pattern, id, !ok, ok)
		}
	}
}

// TestTemplateTable: the table the store expects (store's attribute
// constants), on demand, with TTL, point-in-time recovery and encryption,
// and kept if the stack goes.
func TestTemplateTable(t *testing.T) {
	tmpl := loadTemplate(t)
	_, table := soleResource(t, "AWS::DynamoDB::Table", tmpl.GetAllDynamoDBTableResources())
	if len(table.KeySchema) != 1 || table.KeySchema[0].AttributeName != store.KeyAttr || table.KeySchema[0].KeyType != "HASH" {
		t.Errorf("KeySchema = %+v, want one HASH key %q (store.KeyAttr)", table.KeySchema, store.KeyAttr)
	}
	if len(table.AttributeDefinitions) != 1 || table.AttributeDefinitions[0].AttributeName != store.KeyAttr || table.AttributeDefinitions[0].AttributeType != "S" {
		t.Errorf("AttributeDefinitions = %+v, want only %q of type S", table.AttributeDefinitions, store.KeyAttr)
	}
	if ttl := table.TimeToLiveSpecification; ttl == nil || ttl.AttributeName == nil || *ttl.AttributeName != store.TTLAttr || !ttl.Enabled {
		var attr any = "(none)"
		if ttl != nil {
			attr = derefAny(ttl.AttributeName)
		}
		t.Errorf("TTL on %v, want enabled on %q (store.TTLAttr)", attr, store.TTLAttr)
	}
	if table.BillingMode == nil || *table.BillingMode != "PAY_PER_REQUEST" || table.ProvisionedThroughput != nil {
		t.Errorf("BillingMode = %v, ProvisionedThroughput = %v; want on-demand (PAY_PER_REQUEST) only", derefAny(table.BillingMode), table.ProvisionedThroughput)
	}
	if p := table.PointInTimeRecoverySpecification; p == nil || p.PointInTimeRecoveryEnabled == nil || !*p.PointInTimeRecoveryEnabled {
		t.Error("point-in-time recovery is not enabled")
	}
	if s := table.SSESpecification; s == nil || !s.SSEEnabled {
		t.Error("server-side encryption (SSESpecification.SSEEnabled) is not on")
	}
	if table.TableName != nil {
		t.Errorf("TableName = %q: let CloudFormation name the table (the function gets it in TABLE_NAME)", *table.TableName)
	}
	if len(table.GlobalSecondaryIndexes)+len(table.LocalSecondaryIndexes) > 0 || table.StreamSpecification != nil {
		t.Error("the table has indexes or a stream the store does not use")
	}
	if table.AWSCloudFormationDeletionPolicy != "Retain" || table.AWSCloudFormationUpdateReplacePolicy != "Retain" {
		t.Errorf("DeletionPolicy = %q, UpdateReplacePolicy = %q, want Retain for both", table.AWSCloudFormationDeletionPolicy, table.AWSCloudFormationUpdateReplacePolicy)
	}
}

// templateNames are the logical IDs of the template's resources.
type templateNames struct {
	function, table, role, logGroup string
}

// templateParts returns the template, its resources' names and the
// function.
func templateParts(t *testing.T) (*cloudformation.Template, templateNames, *lambda.Function) {
	t.Helper()
	tmpl := loadTemplate(t)
	var n templateNames
	var fn *lambda.Function
	n.function, fn = soleResource(t, "AWS::Lambda::Function", tmpl.GetAllLambdaFunctionResources())
	n.table, _ = soleResource(t, "AWS::DynamoDB::Table", tmpl.GetAllDynamoDBTableResources())
	n.role, _ = soleResource(t, "AWS::IAM::Role", tmpl.GetAllIAMRoleResources())
	n.logGroup, _ = soleResource(t, "AWS::Logs::LogGroup", tmpl.GetAllLogsLogGroupResources())
	return tmpl, n, fn
}

// TestTemplateFunction: the Go bootstrap on provided.al2023/arm64, 128 MB,
// a timeout under Alexa's deadline and over the turn's budget, its role,
// and the code from the cfn-deployer's upload.
func TestTemplateFunction(t *testing.T) {
	tmpl, n, fn := templateParts(t)
	if fn.Runtime == nil || *fn.Runtime != cloudformation.Ref("LambdaRuntime") {
		t.Errorf("Runtime = %s, want !Ref LambdaRuntime", showProperty(fn.Runtime))
	}
	if fn.Handler == nil || *fn.Handler != cloudformation.Ref("LambdaHandler") {
		t.Errorf("Handler = %s, want !Ref LambdaHandler", showProperty(fn.Handler))
	}
	if p := tmpl.Parameters["LambdaRuntime"]; p.Default != "provided.al2023" || !slices.Equal(p.AllowedValues, []any{"provided.al2023"}) {
		t.Errorf("LambdaRuntime: default %v, allowed %v; want provided.al2023 only", p.Default, p.AllowedValues)
	}
	if p := tmpl.Parameters["LambdaHandler"]; p.Default != "bootstrap" || !slices.Equal(p.AllowedValues, []any{"bootstrap"}) {
		t.Errorf("LambdaHandler: default %v, allowed %v; want bootstrap only", p.Default, p.AllowedValues)
	}
	if !slices.Equal(fn.Architectures, []string{"arm64"}) {
		t.Errorf("Architectures = %v, want [arm64]", fn.Architectures)
	}
	if fn.MemorySize == nil || *fn.MemorySize != 128 {
		t.Errorf("MemorySize = %v, want 128", derefAny(fn.MemorySize))
	}
	if fn.Timeout == nil || *fn.Timeout >= alexaDeadlineSeconds || *fn.Timeout <= turnBudgetSeconds {
		t.Errorf("Timeout = %v s, want more than the turn's %d s and less than Alexa's %d s", derefAny(fn.Timeout), turnBudgetSeconds, alexaDeadlineSeconds)
	}
	if fn.Role != cloudformation.GetAtt(n.role, "Arn") {
		t.Errorf("Role = %s, want !GetAtt %s.Arn", decodeIntrinsic(fn.Role), n.role)
	}
	c := fn.Code
	if c == nil || derefAny(c.S3Bucket) != cloudformation.Ref("CodeBucket") || derefAny(c.S3Key) != cloudformation.Ref("CodeKey") ||
		derefAny(c.S3ObjectVersion) != cloudformation.Ref("CodeVersion") || c.ZipFile != nil || c.ImageUri != nil {
		t.Error("Code must be S3Bucket, S3Key and S3ObjectVersion from CodeBucket, CodeKey and CodeVersion (the cfn-deployer's upload)")
	}
}

// TestTemplateEnvironment: the function's environment variables are
// exactly the ones the function reads (package config's Env* constants,
// found in config/*.go and lambda/*.go with go/parser), each set from the
// right place.
func TestTemplateEnvironment(t *testing.T) {
	tmpl, n, fn := templateParts(t)
	envConsts := configEnvConstants(t)
	var vars map[string]string
	if fn.Environment != nil {
		vars = fn.Environment.Variables
	}
	got := slices.Sorted(maps.Keys(vars))
	want := slices.Sorted(maps.Values(envConsts))
	for _, name := range got {
		if lambdaReserved(name) {
			t.Errorf("Environment.Variables sets %s, which Lambda reserves", name)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("Environment.Variables = %v, want the variables config/ and lambda/ read: %v", got, want)
	}
	// What each one holds, by the constant's name in config/config.go.
	wantValues := map[string]string{
		"EnvTableName": cloudformation.Ref(n.table),
		"EnvSkillID":   cloudformation.Ref("SkillId"),
		"EnvLogLevel":  cloudformation.Ref("LogLevel"),
		"EnvPacing":    cloudformation.Ref("SpeechPacing"),
	}
	for ident, name := range envConsts {
		w, ok := wantValues[ident]
		if !ok {
			t.Errorf("the function reads %s (constant %s), which this test does not know: say what the template sets it to", name, ident)
			continue
		}
		if vars[name] != w {
			t.Errorf("%s = %s, want %s", name, decodeIntrinsic(vars[name]), decodeIntrinsic(w))
		}
	}
	// LOG_LEVEL's values are levels the function parses (log/slog's names,
	// as config.Parse), and the default is info.
	p := tmpl.Parameters["LogLevel"]
	if p.Default != "info" {
		t.Errorf("LogLevel default = %v, want info", p.Default)
	}
	for _, v := range p.AllowedValues {
		var l slog.Level
		if s, ok := v.(string); !ok || l.UnmarshalText([]byte(s)) != nil {
			t.Errorf("LogLevel allows %v, which is not a log/slog level", v)
		}
	}
}

var envCallee = regexp.MustCompile(`(?i)^(get|lookup)env$`)

// lambdaReserved reports whether Lambda sets the variable itself (such as
// AWS_LAMBDA_RUNTIME_API or AWS_REGION); a function's configuration cannot
// set those.
func lambdaReserved(name string) bool {
	return strings.HasPrefix(name, "AWS_") || strings.HasPrefix(name, "LAMBDA_") || strings.HasPrefix(name, "_")
}

// configEnvConstants finds the environment variables the function reads
// for its configuration, in package config and in the lambda package:
// string constants passed to os.Getenv, os.LookupEnv or a getenv function,
// less those Lambda itself sets. It returns them by constant name.
func configEnvConstants(t *testing.T) map[string]string {
	t.Helper()
	var files []string
	for _, dir := range []string{"config", "lambda"} {
		fs, err := filepath.Glob(filepath.Join("..", dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, fs...)
	}
	fset := token.NewFileSet()
	consts := map[string]string{}
	var parsed []*ast.File
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, file)
		for _, d := range file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i >= len(vs.Values) {
						continue
					}
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						if s, err := strconv.Unquote(lit.Value); err == nil {
							consts[name.Name] = s
						}
					}
				}
			}
		}
	}
	env := map[string]string{}
	for _, file := range parsed {
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			var callee string
			switch f := call.Fun.(type) {
			case *ast.Ident:
				callee = f.Name
			case *ast.SelectorExpr:
				callee = f.Sel.Name
			}
			if !envCallee.MatchString(callee) {
				return true
			}
			if id, ok := call.Args[0].(*ast.Ident); ok {
				if v, ok := consts[id.Name]; ok && !lambdaReserved(v) {
					env[id.Name] = v
				}
			}
			return true
		})
	}
	if len(env) == 0 {
		t.Fatal("found no environment variable constants read in config/*.go or lambda/*.go (string constants passed to os.Getenv or a getenv function)")
	}
	return env
}

// TestTemplateBuildTarget: the function's runtime, architecture and handler
// match what `make build` produces (the Makefile's bootstrap target), and
// the build hook's LAMBDA_ZIP override reaches the zip.
func TestTemplateBuildTarget(t *testing.T) {
	tmpl, _, fn := templateParts(t)
	mk, err := os.ReadFile(filepath.Join("..", "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	vars, recipes := parseMakefile(string(mk))
	goarch := map[string]string{"arm64": "arm64", "amd64": "x86_64"}
	if vars["LAMBDA_GOOS"] != "linux" {
		t.Errorf("Makefile LAMBDA_GOOS = %q, want linux", vars["LAMBDA_GOOS"])
	}
	if arch := goarch[vars["LAMBDA_GOARCH"]]; len(fn.Architectures) != 1 || fn.Architectures[0] != arch {
		t.Errorf("Architectures = %v, but the Makefile builds GOARCH=%q (Lambda architecture %q)", fn.Architectures, vars["LAMBDA_GOARCH"], arch)
	}
	boot := strings.Join(recipes["bootstrap"], "\n")
	for _, want := range []string{"GOOS=$(LAMBDA_GOOS)", "GOARCH=$(LAMBDA_GOARCH)", "CGO_ENABLED=0", "./lambda"} {
		if !strings.Contains(boot, want) {
			t.Errorf("the Makefile's bootstrap recipe lacks %q", want)
		}
	}
	m := regexp.MustCompile(`-o\s+(\S+)`).FindStringSubmatch(boot)
	handler, _ := tmpl.Parameters["LambdaHandler"].Default.(string)
	if m == nil || path.Base(m[1]) != handler {
		t.Errorf("the bootstrap recipe writes %v; the handler is %q, the executable the runtime starts", m, handler)
	}
	runtime, _ := tmpl.Parameters["LambdaRuntime"].Default.(string)
	if !strings.Contains(string(mk), runtime) {
		t.Errorf("the Makefile does not say it builds for %s", runtime)
	}
	if !strings.Contains(strings.Join(recipes["build"], "\n"), "$(LAMBDA_ZIP)") || vars["LAMBDA_ZIP"] == "" {
		t.Error("the Makefile's build target does not write $(LAMBDA_ZIP), which hooks/build.sh sets")
	}
}

var (
	makeVar    = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)\s*[:?]?=\s*(.*?)\s*$`)
	makeTarget = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_./-]*)\s*:([^=]|$)`)
)

// parseMakefile returns a Makefile's simple variable assignments and each
// target's recipe lines.
func parseMakefile(s string) (vars map[string]string, recipes map[string][]string) {
	vars, recipes = map[string]string{}, map[string][]string{}
	target := ""
	for _, line := range strings.Split(s, "\n") {
		switch {
		case strings.HasPrefix(line, "\t"):
			if target != "" {
				recipes[target] = append(recipes[target], strings.TrimSpace(line))
			}
		case strings.HasPrefix(line, "#"), strings.TrimSpace(line) == "":
		default:
			target = ""
			if m := makeVar.FindStringSubmatch(line); m != nil {
				vars[m[1]] = m[2]
			} else if m := makeTarget.FindStringSubmatch(line); m != nil {
				target = m[1]
			}
		}
	}
	return vars, recipes
}

// iamPolicy is an IAM policy document, decoded strictly (NotAction,
// NotResource and other keys are refused).
type (
	iamPolicy struct {
		Version   string         `json:"Version"`
		Statement []iamStatement `json:"Statement"`
	}
	iamStatement struct {
		Sid       string     `json:"Sid"`
		Effect    string     `json:"Effect"`
		Principal any        `json:"Principal"`
		Action    stringList `json:"Action"`
		Resource  stringList `json:"Resource"`
	}
	stringList []string
)

func (l *stringList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*l = stringList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*l = many
	return nil
}

func decodePolicy(doc any) (*iamPolicy, error) {
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p iamPolicy
	if err := dec.Decode(&p); err != nil {
		return nil, err
	}
	if p.Version != "2012-10-17" {
		return nil, fmt.Errorf("policy Version %q, want 2012-10-17", p.Version)
	}
	return &p, nil
}

// logActions are what the function needs to write its logs into a log
// group that exists.
var logActions = []string{"logs:CreateLogStream", "logs:PutLogEvents"}

// TestTemplateRole: least privilege. Lambda alone assumes the role; it
// allows exactly store.IAMActions on the table's ARN and writing to the
// function's own log group, with no wildcard anywhere.
func TestTemplateRole(t *testing.T) {
	tmpl, n, _ := templateParts(t)
	role, err := tmpl.GetIAMRoleWithName(n.role)
	if err != nil {
		t.Fatal(err)
	}
	if len(role.ManagedPolicyArns) > 0 || role.PermissionsBoundary != nil {
		t.Errorf("the role has managed policies %v; grant only what the function needs inline", role.ManagedPolicyArns)
	}
	trust, err := decodePolicy(role.AssumeRolePolicyDocument)
	if err != nil {
		t.Fatalf("AssumeRolePolicyDocument: %v", err)
	}
	wantPrincipal := map[string]any{"Service": "lambda.amazonaws.com"}
	if len(trust.Statement) != 1 || trust.Statement[0].Effect != "Allow" ||
		!slices.Equal(trust.Statement[0].Action, []string{"sts:AssumeRole"}) ||
		fmt.Sprint(trust.Statement[0].Principal) != fmt.Sprint(wantPrincipal) {
		t.Errorf("AssumeRolePolicyDocument = %+v, want lambda.amazonaws.com alone to assume the role", trust.Statement)
	}

	tableArn := cloudformation.GetAtt(n.table, "Arn")
	logArn := cloudformation.GetAtt(n.logGroup, "Arn")
	var dynamoActions, logsActions []string
	for _, pol := range role.Policies {
		p, err := decodePolicy(pol.PolicyDocument)
		if err != nil {
			t.Errorf("policy %s: %v", pol.PolicyName, err)
			continue
		}
		for _, st := range p.Statement {
			if st.Effect != "Allow" || st.Principal != nil {
				t.Errorf("policy %s statement %q: Effect %q, Principal %v; want Allow without a principal", pol.PolicyName, st.Sid, st.Effect, st.Principal)
			}
			for _, a := range st.Action {
				if strings.Contains(a, "*") {
					t.Errorf("policy %s allows the wildcard action %q", pol.PolicyName, a)
				}
			}
			for _, r := range st.Resource {
				if strings.Contains(r, "*") {
					t.Errorf("policy %s statement %q has the wildcard resource %q", pol.PolicyName, st.Sid, r)
				}
			}
			var service string
			for _, a := range st.Action {
				s, _, _ := strings.Cut(a, ":")
				if service != "" && s != service {
					t.Errorf("policy %s statement %q mixes %s and %s actions; keep one service per statement", pol.PolicyName, st.Sid, service, s)
				}
				service = s
			}
			switch service {
			case "dynamodb":
				dynamoActions = append(dynamoActions, st.Action...)
				if !slices.Equal(st.Resource, []string{tableArn}) {
					t.Errorf("DynamoDB actions apply to %v, want only the table's ARN (!GetAtt %s.Arn)", decodeIntrinsics(st.Resource), n.table)
				}
			case "logs":
				logsActions = append(logsActions, st.Action...)
				if !slices.Equal(st.Resource, []string{logArn}) {
					t.Errorf("logs actions apply to %v, want only the function's log group (!GetAtt %s.Arn)", decodeIntrinsics(st.Resource), n.logGroup)
				}
			default:
				t.Errorf("policy %s allows %v: the function needs only DynamoDB and logs", pol.PolicyName, st.Action)
			}
		}
	}
	if got, want := slices.Sorted(slices.Values(dynamoActions)), slices.Sorted(slices.Values(store.IAMActions)); !slices.Equal(got, want) {
		t.Errorf("DynamoDB actions = %v, want exactly store.IAMActions %v", got, want)
	}
	if got := slices.Sorted(slices.Values(logsActions)); !slices.Equal(got, logActions) {
		t.Errorf("logs actions = %v, want %v", got, logActions)
	}
}

// TestTemplateLogGroup: the function logs to a log group of the template
// with a retention period, named as Lambda names the function's default
// one; PRIVACY.md states the same retention.
func TestTemplateLogGroup(t *testing.T) {
	tmpl, n, fn := templateParts(t)
	lg, err := tmpl.GetLogsLogGroupWithName(n.logGroup)
	if err != nil {
		t.Fatal(err)
	}
	if lg.RetentionInDays == nil || *lg.RetentionInDays <= 0 {
		t.Fatal("the log group has no retention period: logs would be kept forever")
	}
	if fn.FunctionName == nil || lg.LogGroupName == nil {
		t.Fatal("the function and its log group must both be named (the log group after the function)")
	}
	name := decodeIntrinsic(*fn.FunctionName)
	if name != `{"Ref":"AWS::StackName"}` {
		t.Errorf("FunctionName = %s, want !Ref AWS::StackName", name)
	}
	if *lg.LogGroupName != cloudformation.Sub("/aws/lambda/${AWS::StackName}") {
		t.Errorf("LogGroupName = %s, want !Sub /aws/lambda/${AWS::StackName}, Lambda's log group for the function", decodeIntrinsic(*lg.LogGroupName))
	}
	if fn.LoggingConfig == nil || derefAny(fn.LoggingConfig.LogGroup) != cloudformation.Ref(n.logGroup) {
		t.Errorf("LoggingConfig.LogGroup must be !Ref %s", n.logGroup)
	}
	privacy, err := os.ReadFile(filepath.Join("..", "PRIVACY.md"))
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("kept for\n%d days", *lg.RetentionInDays); !strings.Contains(strings.ReplaceAll(string(privacy), "\n", " "), strings.ReplaceAll(want, "\n", " ")) {
		t.Errorf("PRIVACY.md does not say logs are %q", strings.ReplaceAll(want, "\n", " "))
	}
}

// TestTemplateAlexaPermission: only the skill may invoke the function.
func TestTemplateAlexaPermission(t *testing.T) {
	tmpl, n, _ := templateParts(t)
	_, p := soleResource(t, "AWS::Lambda::Permission", tmpl.GetAllLambdaPermissionResources())
	if p.Principal != "alexa-appkit.amazon.com" {
		t.Errorf("Principal = %q, want alexa-appkit.amazon.com (custom skills)", p.Principal)
	}
	if p.EventSourceToken == nil || *p.EventSourceToken != cloudformation.Ref("SkillId") {
		t.Errorf("EventSourceToken = %s, want !Ref SkillId", showProperty(p.EventSourceToken))
	}
	if !strings.EqualFold(p.Action, "lambda:InvokeFunction") {
		t.Errorf("Action = %q, want lambda:InvokeFunction", p.Action)
	}
	if p.FunctionName != cloudformation.GetAtt(n.function, "Arn") && p.FunctionName != cloudformation.Ref(n.function) {
		t.Errorf("FunctionName = %s, want the function", decodeIntrinsic(p.FunctionName))
	}
}

// TestTemplateOutputs: the function ARN, under the name the cfn-deployer
// reads.
func TestTemplateOutputs(t *testing.T) {
	tmpl, n, _ := templateParts(t)
	out, ok := tmpl.Outputs[cfnDeployerOutput]
	if !ok {
		t.Fatalf("no output %s: the ASK CLI cannot point the skill at the function", cfnDeployerOutput)
	}
	if out.Value != cloudformation.GetAtt(n.function, "Arn") {
		t.Errorf("%s = %s, want !GetAtt %s.Arn", cfnDeployerOutput, decodeIntrinsic(fmt.Sprint(out.Value)), n.function)
	}
}

// askResources is ask-resources.json, decoded strictly.
type askResources struct {
	AskcliResourcesVersion string                        `json:"askcliResourcesVersion"`
	Profiles               map[string]askResourceProfile `json:"profiles"`
}

type askResourceProfile struct {
	SkillMetadata struct {
		Src string `json:"src"`
	} `json:"skillMetadata"`
	Code map[string]struct {
		Src string `json:"src"`
	} `json:"code"`
	SkillInfrastructure struct {
		Type       string `json:"type"`
		UserConfig struct {
			Runtime      string `json:"runtime"`
			Handler      string `json:"handler"`
			AwsRegion    string `json:"awsRegion"`
			TemplatePath string `json:"templatePath"`
			Cfn          struct {
				Parameters map[string]string `json:"parameters"`
			} `json:"cfn"`
		} `json:"userConfig"`
	} `json:"skillInfrastructure"`
}

func (r *askResources) profile() *askResourceProfile {
	for _, p := range r.Profiles {
		return &p
	}
	return &askResourceProfile{}
}

func loadAskResources(t *testing.T) *askResources {
	t.Helper()
	data, err := os.ReadFile("ask-resources.json")
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r askResources
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("decode ask-resources.json strictly: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		t.Fatal("ask-resources.json: data after the object")
	}
	return &r
}

// TestAskResources: the ASK CLI project deploy.sh stages: the skill package,
// a code folder (built by hooks/build.sh), and the cfn-deployer with this
// template, the runtime and handler the template allows.
func TestAskResources(t *testing.T) {
	r := loadAskResources(t)
	if r.AskcliResourcesVersion != "2020-03-31" {
		t.Errorf("askcliResourcesVersion = %q, want 2020-03-31", r.AskcliResourcesVersion)
	}
	if len(r.Profiles) != 1 {
		t.Fatalf("%d profiles, want one (deploy.sh renames it to ASK_PROFILE)", len(r.Profiles))
	}
	p := r.profile()
	if p.SkillMetadata.Src != "./skill-package" {
		t.Errorf("skillMetadata.src = %q, want ./skill-package", p.SkillMetadata.Src)
	}
	if len(p.Code) != 1 || p.Code["default"].Src == "" || strings.Contains(p.Code["default"].Src, "..") {
		t.Errorf("code = %+v, want one default src inside the project (the CLI empties a build folder derived from it)", p.Code)
	}
	si := p.SkillInfrastructure
	if si.Type != "@ask-cli/cfn-deployer" {
		t.Errorf("skillInfrastructure.type = %q, want @ask-cli/cfn-deployer", si.Type)
	}
	raw, _, _ := loadRawTemplate(t)
	if def := raw.Parameters["LambdaRuntime"].Default; si.UserConfig.Runtime != def {
		t.Errorf("userConfig.runtime = %q, want the template's %v", si.UserConfig.Runtime, def)
	}
	if def := raw.Parameters["LambdaHandler"].Default; si.UserConfig.Handler != def {
		t.Errorf("userConfig.handler = %q, want the template's %v", si.UserConfig.Handler, def)
	}
	if si.UserConfig.AwsRegion == "" {
		t.Error("userConfig.awsRegion is empty")
	}
	if filepath.Clean(si.UserConfig.TemplatePath) != templateFile {
		t.Errorf("userConfig.templatePath = %q, want ./%s", si.UserConfig.TemplatePath, templateFile)
	}
}

// showProperty prints an optional property for a message.
func showProperty(s *string) string {
	if s == nil {
		return "(unset)"
	}
	return decodeIntrinsic(*s)
}

// decodeIntrinsic shows a goformation-encoded intrinsic as its JSON;
// other strings as they are.
func decodeIntrinsic(s string) string {
	dec, err := base64.StdEncoding.DecodeString(s)
	if err != nil || !json.Valid(dec) {
		return strconv.Quote(s)
	}
	var v any
	_ = json.Unmarshal(dec, &v)
	out, _ := json.Marshal(v)
	return string(out)
}

func decodeIntrinsics(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = decodeIntrinsic(s)
	}
	return out
}

func derefAny[T any](p *T) any {
	if p == nil {
		return "(unset)"
	}
	return *p
}
