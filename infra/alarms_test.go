package infra_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/cloudwatch"

	"spasmcoach/intents"
	"spasmcoach/intents/intentstest"
	"spasmcoach/store"
)

// wantAlarms are the template's alarms and what each watches: a Lambda
// metric of the function, DynamoDB metrics of the table, or a metric filter
// of the function's log group.
var wantAlarms = map[string]string{
	"FunctionErrorsAlarm":    "AWS/Lambda Errors",
	"FunctionThrottlesAlarm": "AWS/Lambda Throttles",
	"FunctionDurationAlarm":  "AWS/Lambda Duration",
	"TableThrottlesAlarm":    "AWS/DynamoDB ReadThrottleEvents WriteThrottleEvents",
	"TableErrorsAlarm":       "AWS/DynamoDB SystemErrors",
	"ApologiesAlarm":         "ApologiesMetricFilter",
	"DeletionFailedAlarm":    "DeletionFailedMetricFilter",
}

// TestTemplateAlarms checks each alarm's metric against the resources it
// watches, and that every alarm notifies the optional topic, which exists
// only when an email address is given.
func TestTemplateAlarms(t *testing.T) {
	tmpl, n, _ := templateParts(t)
	raw, _, _ := loadRawTemplate(t)
	alarms := tmpl.GetAllCloudWatchAlarmResources()
	if len(alarms) != len(wantAlarms) {
		t.Errorf("%d alarms, want %d: %v", len(alarms), len(wantAlarms), sortedMapKeys(alarms))
	}
	cond, ok := raw.Conditions["HasAlarmEmail"]
	if want := map[string]any{"Fn::Not": []any{map[string]any{"Fn::Equals": []any{map[string]any{"Ref": "AlarmEmail"}, ""}}}}; !ok || fmt.Sprint(cond) != fmt.Sprint(want) {
		t.Errorf("condition HasAlarmEmail = %v, want AlarmEmail not empty", cond)
	}
	topic, err := tmpl.GetSNSTopicWithName("AlarmTopic")
	if err != nil {
		t.Fatal(err)
	}
	if raw.Resources["AlarmTopic"].Condition != "HasAlarmEmail" {
		t.Error("AlarmTopic is not conditional on HasAlarmEmail: an empty address would make a topic with a broken subscription")
	}
	if len(topic.Subscription) != 1 || topic.Subscription[0].Protocol != "email" || topic.Subscription[0].Endpoint != cloudformation.Ref("AlarmEmail") {
		t.Errorf("AlarmTopic subscriptions %+v, want one email to !Ref AlarmEmail", topic.Subscription)
	}
	action := cloudformation.If("HasAlarmEmail", cloudformation.Ref("AlarmTopic"), cloudformation.Ref("AWS::NoValue"))
	for name, what := range wantAlarms {
		a, ok := alarms[name]
		if !ok {
			t.Errorf("no alarm %s (%s)", name, what)
			continue
		}
		if !slices.Equal(a.AlarmActions, []string{action}) {
			t.Errorf("%s: AlarmActions %v, want the topic when there is one", name, decodeIntrinsics(a.AlarmActions))
		}
		if a.TreatMissingData == nil || *a.TreatMissingData != "notBreaching" {
			t.Errorf("%s: TreatMissingData must be notBreaching (no traffic is not a fault)", name)
		}
		if a.AlarmDescription == nil || !strings.Contains(*a.AlarmDescription, "README") {
			t.Errorf("%s: the description must point at the README's instructions", name)
		}
	}
	checkFunctionAlarm(t, alarms["FunctionErrorsAlarm"], n.function, "Errors")
	checkFunctionAlarm(t, alarms["FunctionThrottlesAlarm"], n.function, "Throttles")
	d := alarms["FunctionDurationAlarm"]
	checkFunctionAlarm(t, d, n.function, "Duration")
	if d != nil && (d.ExtendedStatistic == nil || *d.ExtendedStatistic != "p99" || d.Threshold == nil ||
		*d.Threshold < turnBudgetSeconds*1000/2 || *d.Threshold >= turnBudgetSeconds*1000) {
		t.Errorf("FunctionDurationAlarm: %v of %v ms, want p99 above a threshold near (below) the %d s turn budget",
			derefAny(d.ExtendedStatistic), derefAny(d.Threshold), turnBudgetSeconds)
	}
	checkTableAlarm(t, alarms["TableThrottlesAlarm"], n.table, map[string][]string{"ReadThrottleEvents": nil, "WriteThrottleEvents": nil})
	ops := map[string][]string{}
	for _, action := range store.IAMActions {
		ops["SystemErrors"] = append(ops["SystemErrors"], strings.TrimPrefix(action, "dynamodb:"))
	}
	checkTableAlarm(t, alarms["TableErrorsAlarm"], n.table, ops)
}

// checkFunctionAlarm checks a Lambda metric alarm on the function.
func checkFunctionAlarm(t *testing.T, a *cloudwatch.Alarm, function, metric string) {
	t.Helper()
	if a == nil {
		return
	}
	if derefAny(a.Namespace) != "AWS/Lambda" || derefAny(a.MetricName) != metric || len(a.Dimensions) != 1 ||
		a.Dimensions[0].Name != "FunctionName" || a.Dimensions[0].Value != cloudformation.Ref(function) {
		t.Errorf("alarm on %v %v %+v, want AWS/Lambda %s of FunctionName !Ref %s", derefAny(a.Namespace), derefAny(a.MetricName), a.Dimensions, metric, function)
	}
}

// checkTableAlarm checks a metric-math alarm summing DynamoDB metrics of
// the table: each metric name, with each of its operations when listed.
func checkTableAlarm(t *testing.T, a *cloudwatch.Alarm, table string, metrics map[string][]string) {
	t.Helper()
	if a == nil {
		return
	}
	seen := map[string]bool{}
	var ids []string
	for _, q := range a.Metrics {
		if q.MetricStat == nil {
			if q.Expression == nil || q.ReturnData == nil || !*q.ReturnData {
				t.Errorf("alarm query %s: neither a metric nor the returned expression", q.Id)
			}
			for _, id := range ids {
				if !strings.Contains(*q.Expression, "FILL("+id+", 0)") {
					t.Errorf("expression %q does not add %s (filled with 0 when it has no data)", *q.Expression, id)
				}
			}
			continue
		}
		ids = append(ids, q.Id)
		m := q.MetricStat.Metric
		op := ""
		for _, d := range m.Dimensions {
			switch {
			case d.Name == "TableName" && d.Value == cloudformation.Ref(table):
			case d.Name == "Operation":
				op = d.Value
			default:
				t.Errorf("query %s: dimension %s=%s", q.Id, d.Name, decodeIntrinsic(d.Value))
			}
		}
		if derefAny(m.Namespace) != "AWS/DynamoDB" || q.MetricStat.Stat != "Sum" {
			t.Errorf("query %s: %v %s, want AWS/DynamoDB, Sum", q.Id, derefAny(m.Namespace), q.MetricStat.Stat)
		}
		seen[derefAny(m.MetricName).(string)+" "+op] = true
	}
	for metric, ops := range metrics {
		if len(ops) == 0 {
			ops = []string{""}
		}
		for _, op := range ops {
			if !seen[strings.TrimSpace(metric+" "+op)] && !seen[metric+" "+op] {
				t.Errorf("the alarm does not watch %s %s of the table", metric, op)
			}
		}
	}
}

// TestTemplateMetricFilters runs each metric filter's pattern over log
// lines the function really writes (intents' JSON log at info level, as in
// Lambda): the apology filter matches the turns whose user heard an
// apology, and only those; the deletion filter matches the ERROR line of a
// SkillDisabled deletion that failed after its retries. Each alarm watches
// the metric its filter emits.
func TestTemplateMetricFilters(t *testing.T) {
	tmpl, n, _ := templateParts(t)
	lines := functionLogLines(t)
	filters := tmpl.GetAllLogsMetricFilterResources()
	alarms := tmpl.GetAllCloudWatchAlarmResources()
	tests := []struct {
		filter, alarm string
		want          []string // the lines (by label) it must match; no other
	}{
		{"ApologiesMetricFilter", "ApologiesAlarm", []string{"malformed", "store down"}},
		{"DeletionFailedMetricFilter", "DeletionFailedAlarm", []string{"delete failed"}},
	}
	for _, tt := range tests {
		f, ok := filters[tt.filter]
		if !ok {
			t.Errorf("no metric filter %s", tt.filter)
			continue
		}
		if f.LogGroupName != cloudformation.Ref(n.logGroup) {
			t.Errorf("%s watches %s, want the function's log group", tt.filter, decodeIntrinsic(f.LogGroupName))
		}
		match, err := compileFilter(f.FilterPattern)
		if err != nil {
			t.Errorf("%s: %v", tt.filter, err)
			continue
		}
		var got []string
		for _, l := range lines {
			if match(l.fields) {
				got = append(got, l.label)
			}
		}
		slices.Sort(got)
		got = slices.Compact(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s matches the lines of %v, want %v", tt.filter, got, tt.want)
		}
		if len(f.MetricTransformations) != 1 {
			t.Fatalf("%s: %d metric transformations, want 1", tt.filter, len(f.MetricTransformations))
		}
		mt := f.MetricTransformations[0]
		a := alarms[tt.alarm]
		if a == nil || derefAny(a.Namespace) != mt.MetricNamespace || derefAny(a.MetricName) != mt.MetricName || mt.MetricValue != "1" {
			t.Errorf("%s does not count %s's metric %s/%s", tt.alarm, tt.filter, mt.MetricNamespace, decodeIntrinsic(mt.MetricName))
		}
	}
}

// logLine is one JSON log record and the case that produced it.
type logLine struct {
	label  string
	fields map[string]any
}

// failingStore is a real embedded store whose calls fail on demand.
type failingStore struct {
	*store.Embedded
	getFails, deleteFails bool
}

var errStoreDown = errors.New("store is down")

func (s *failingStore) Get(ctx context.Context, key string) (store.Item, error) {
	if s.getFails {
		return store.Item{}, errStoreDown
	}
	return s.Embedded.Get(ctx, key)
}

func (s *failingStore) Delete(ctx context.Context, key string) error {
	if s.deleteFails {
		return errStoreDown
	}
	return s.Embedded.Delete(ctx, key)
}

// functionLogLines runs requests through the skill's handler as Lambda
// does and returns the JSON lines it logged, labelled by case.
func functionLogLines(t *testing.T) []logLine {
	t.Helper()
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "intents", "testdata", "requests", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cases := []struct {
		label                 string
		request               []byte
		getFails, deleteFails bool
	}{
		{label: "launch", request: read("launch.json")},
		{label: "intent", request: read("intent_slots.json")},
		{label: "session ended", request: read("session_ended_error.json")},
		{label: "disabled", request: read("skill_disabled.json")},
		{label: "malformed", request: []byte(`{"version":"1.0","request":`)},
		{label: "store down", request: read("launch.json"), getFails: true},
		{label: "delete failed", request: read("skill_disabled.json"), deleteFails: true},
	}
	var lines []logLine
	for _, c := range cases {
		db, err := store.OpenEmbedded(filepath.Join(t.TempDir(), "state.db"))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
		h, err := intents.New(&failingStore{Embedded: db, getFails: c.getFails, deleteFails: c.deleteFails}, intents.WithLogger(logger))
		if err != nil {
			t.Fatal(err)
		}
		out, err := h.Invoke(context.Background(), c.request)
		if err != nil {
			t.Fatalf("%s: %v", c.label, err)
		}
		intentstest.CheckResponse(t, out)
		_ = db.Close()
		for l := range strings.Lines(buf.String()) {
			var fields map[string]any
			if err := json.Unmarshal([]byte(l), &fields); err != nil {
				t.Fatalf("%s: log line is not JSON: %s", c.label, l)
			}
			lines = append(lines, logLine{label: c.label, fields: fields})
		}
	}
	return lines
}

// filterCond is one comparison of a CloudWatch Logs JSON filter pattern:
// $.field = "value" or !=, where a value ending in * matches by prefix.
var filterCond = regexp.MustCompile(`^\$\.([A-Za-z0-9_]+)\s*(=|!=)\s*"([^"]*)"`)

// compileFilter compiles the subset of CloudWatch Logs JSON filter pattern
// syntax the template uses ({ cond }, with &&, || and parentheses) into a
// matcher of decoded JSON log lines
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html).
func compileFilter(pattern string) (func(map[string]any) bool, error) {
	p := strings.TrimSpace(pattern)
	if !strings.HasPrefix(p, "{") || !strings.HasSuffix(p, "}") {
		return nil, fmt.Errorf("pattern %q is not a JSON filter { ... }", pattern)
	}
	rest, m, err := parseOr(strings.TrimSpace(p[1 : len(p)-1]))
	if err == nil && strings.TrimSpace(rest) != "" {
		err = fmt.Errorf("unexpected %q", rest)
	}
	return m, err
}

type matcher = func(map[string]any) bool

func parseOr(s string) (string, matcher, error) {
	s, left, err := parseAnd(s)
	for err == nil {
		rest, ok := strings.CutPrefix(strings.TrimSpace(s), "||")
		if !ok {
			break
		}
		var right matcher
		if s, right, err = parseAnd(rest); err == nil {
			l := left
			left = func(f map[string]any) bool { return l(f) || right(f) }
		}
	}
	return s, left, err
}

func parseAnd(s string) (string, matcher, error) {
	s, left, err := parseTerm(s)
	for err == nil {
		rest, ok := strings.CutPrefix(strings.TrimSpace(s), "&&")
		if !ok {
			break
		}
		var right matcher
		if s, right, err = parseTerm(rest); err == nil {
			l := left
			left = func(f map[string]any) bool { return l(f) && right(f) }
		}
	}
	return s, left, err
}

func parseTerm(s string) (string, matcher, error) {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, "("); ok {
		rest, m, err := parseOr(rest)
		if err != nil {
			return "", nil, err
		}
		rest, ok := strings.CutPrefix(strings.TrimSpace(rest), ")")
		if !ok {
			return "", nil, fmt.Errorf("missing ) before %q", rest)
		}
		return rest, m, nil
	}
	c := filterCond.FindStringSubmatch(s)
	if c == nil {
		return "", nil, fmt.Errorf("cannot read a condition at %q", s)
	}
	field, op, value := c[1], c[2], c[3]
	m := func(f map[string]any) bool {
		got, ok := f[field].(string)
		if !ok {
			return false
		}
		if prefix, wild := strings.CutSuffix(value, "*"); wild {
			return strings.HasPrefix(got, prefix)
		}
		return got == value
	}
	if op == "!=" {
		eq := m
		m = func(f map[string]any) bool { _, ok := f[field]; return ok && !eq(f) }
	}
	return s[len(c[0]):], m, nil
}
