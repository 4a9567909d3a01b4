package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"spasmcoach/alexa"
	"spasmcoach/alexa/alexatest"
	"spasmcoach/config"
	"spasmcoach/infra"
	"spasmcoach/intents"
	"spasmcoach/speech"
	"spasmcoach/utterance"
)

// Identities chat uses unless told otherwise. They are stable, so that a
// relaunch finds the same user's state.
const (
	localSkillID  = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
	localUserID   = "amzn1.ask.account.SPASMCOACH-LOCAL-CHAT-USER"
	localDeviceID = "amzn1.ask.device.SPASMCOACH-LOCAL-CHAT-DEVICE"
	userIDPrefix  = "amzn1.ask.account."
	// localAPIToken is the bearer token chat's Alexa API stand-in accepts.
	localAPIToken = "local-chat-api-access-token"
)

const chatUsage = `Usage: spasmcoach chat [flags]

Talk to the skill by typing what you would say to Alexa, one line at a time:

  open back spasm coach                      start a session (LaunchRequest)
  ask back spasm coach to start breathing    a one-shot: launch into an intent
  next step, start the stretch, yes, ...     resolved to an intent and slots
                                             through the interaction model's
                                             sample utterances; anything that
                                             matches nothing is
                                             AMAZON.FallbackIntent
  exit, quit (or end of input)               end the session and the chat

Each line becomes the request JSON Alexa would send (session, attributes the
skill sent back, context.System with the user, device, permissions,
apiEndpoint and apiAccessToken) and runs through the same handler as the
Lambda function. What Alexa would say is printed as text with pauses shown,
"…(5s)…"; the timed part of an activity (an APL for Audio document, played
after the speech) as a timeline of each cue and its start; cards,
directives and the end of a session are marked in brackets. SPEECH_PACING=ssml
puts the timed part in the speech instead, as the Lambda function does. Lines starting with # are ignored, so scripts can carry comments.
Input can be piped: spasmcoach chat < conversation.txt

Timers: there is no Alexa API on your machine, so chat starts a stand-in on
a loopback port and points the request's apiEndpoint at it, with a fake
access token and the timers permission shown as GRANTED. What the Echo
would do is printed, e.g. "[Echo: timer 'Cold pack' set for 20 minutes]";
nothing rings. With --no-timers the permission starts out DENIED, so you can
hear the skill ask for it and answer yes or no the way Alexa asks.

Flags:
`

// chatConfig is what the chat flags say.
type chatConfig struct {
	ssml     bool
	json     bool
	speak    bool
	noTimers bool
	db       string
	user     string
	locale   string
}

// runChat is the chat command.
func runChat(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, env environment) int {
	var cfg chatConfig
	fs := newCommandFlags("chat", chatUsage, stderr)
	fs.BoolVar(&cfg.ssml, "ssml", false, "also print the raw SSML of each response")
	fs.BoolVar(&cfg.json, "json", false, "also print each request and response JSON")
	fs.BoolVar(&cfg.speak, "speak", false, "say each response aloud with espeak-ng, timed parts placed with sox (when installed)")
	fs.BoolVar(&cfg.noTimers, "no-timers", false, "start with the timers permission DENIED, to try the permission path")
	fs.StringVar(&cfg.db, "db", "", "state `file` (default $XDG_STATE_HOME/spasmcoach/state.db or ~/.local/state/spasmcoach/state.db; ignored when TABLE_NAME is set)")
	fs.StringVar(&cfg.user, "user", localUserID, "act as this Alexa user `ID`; a bare name gets the amzn1.ask.account. prefix")
	fs.StringVar(&cfg.locale, "locale", "en-US", "the request `locale`: "+strings.Join(infra.Locales(), ", "))
	if code, run := parseCommand(fs, args, stderr); !run {
		return code
	}
	if err := chatMain(ctx, cfg, stdin, stdout, stderr, env); err != nil {
		writef(stderr, "spasmcoach chat: %v\n", err)
		return exitError
	}
	return exitOK
}

// chatMain wires the chat together and runs it until the input ends.
func chatMain(ctx context.Context, cfg chatConfig, stdin io.Reader, stdout, stderr io.Writer, env environment) (err error) {
	model, err := infra.Model(cfg.locale)
	switch {
	case errors.Is(err, infra.ErrNoModel):
		return fmt.Errorf("no interaction model for locale %q (have %s)", cfg.locale, strings.Join(infra.Locales(), ", "))
	case err != nil:
		return fmt.Errorf("load interaction model: %w", err)
	}
	resolver, err := utterance.NewResolver(model, utterance.WithClock(time.Now))
	if err != nil {
		return fmt.Errorf("load interaction model: %w", err)
	}
	conf, err := config.Parse(env.getenv, config.Chat)
	if err != nil {
		return err
	}
	// Chat sends requests for the first SKILL_ID, or for a local skill ID
	// of its own, which the handler then accepts alone.
	if len(conf.SkillIDs) == 0 {
		conf.SkillIDs = []string{localSkillID}
	}
	appID := conf.SkillIDs[0]
	logger := newLogger(stderr, conf.LogLevel)

	st, err := openStore(ctx, env, conf.TableName, cfg.db, stderr, logger)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, st.Close()) }()
	logger.Info("keeping state", "in", st.desc)

	handler, err := conf.NewHandler(st, logger)
	if err != nil {
		return err
	}

	api := newAlexaAPI(localAPIToken, localTimeZone(env.getenv), cfg.noTimers)
	defer api.Close()

	user := cfg.user
	if user == "" {
		user = localUserID
	} else if !strings.HasPrefix(user, "amzn1.") {
		user = userIDPrefix + user
	}
	c := &chat{
		cfg:        cfg,
		handler:    handler,
		resolver:   resolver,
		invocation: model.InvocationName,
		api:        api,
		out:        &printer{w: stdout},
		sim:        newAlexaSession(appID, user, cfg.locale, api, cfg.noTimers),
	}
	if cfg.speak {
		c.speaker = newSpeaker(cfg.locale, stderr)
	}
	return c.Run(ctx, stdin)
}

// chat is one chat run: it turns typed lines into Alexa requests, runs
// them through the handler and prints the answers.
type chat struct {
	cfg        chatConfig
	handler    turnHandler
	resolver   *utterance.Resolver
	invocation string
	sim        *alexatest.Session
	api        *alexatest.Server
	speaker    *speaker
	out        *printer
}

// errQuit ends the chat after "exit" or "quit".
var errQuit = errors.New("quit")

// Run reads lines from in until it ends, the user quits or ctx is done; it
// then ends an open session with a SessionEndedRequest (USER_INITIATED).
func (c *chat) Run(ctx context.Context, in io.Reader) error {
	interactive := isTerminal(in)
	if interactive {
		c.out.printf("Spasm Coach chat. Say %q to start; \"exit\" to leave.\n", "open "+c.invocation)
	}
	lines := make(chan string)
	readErr := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 0, 4096), 64<<10)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		readErr <- sc.Err()
		close(lines)
	}()
	for {
		if interactive {
			c.out.printf("> ")
		}
		var (
			line string
			ok   bool
		)
		select {
		case line, ok = <-lines:
		case <-ctx.Done():
			c.out.println()
			return c.leave(context.WithoutCancel(ctx), "[interrupted]")
		}
		if !ok {
			if interactive {
				c.out.println()
			}
			if err := <-readErr; err != nil {
				return fmt.Errorf("read input: %w", err)
			}
			return c.leave(ctx, "[input ended]")
		}
		err := c.Line(ctx, line, !interactive)
		if errors.Is(err, errQuit) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := c.out.Err(); err != nil {
			return err
		}
	}
}

// leave ends an open session, printing why.
func (c *chat) leave(ctx context.Context, why string) error {
	if !c.sim.Open {
		return nil
	}
	if why != "" {
		c.out.println(why)
	}
	return c.send(ctx, c.sim.SessionEnded("USER_INITIATED"), true)
}

// Line handles one typed line; echo prints it first (for piped input, so
// that the transcript shows both sides).
func (c *chat) Line(ctx context.Context, line string, echo bool) error {
	text := strings.TrimSpace(line)
	if text == "" || strings.HasPrefix(text, "#") {
		return nil
	}
	if echo {
		c.out.printf("> %s\n", text)
	}
	switch strings.ToLower(strings.Trim(text, ".!")) {
	case "exit", "quit":
		if err := c.leave(ctx, ""); err != nil {
			return err
		}
		return errQuit
	}

	if scope, asking := c.sim.Asking(); asking {
		// Alexa itself asked for the permission; the answer goes back to
		// the skill as a Connections.Response.
		status := alexa.AskForNotAnswered
		switch c.resolver.Resolve(text).Intent {
		case intents.IntentYes:
			status = alexa.AskForAccepted
		case intents.IntentNo:
			status = alexa.AskForDenied
		}
		req := c.sim.AnswerAskFor(status)
		switch status {
		case alexa.AskForAccepted:
			c.api.Grant(scope, true)
			c.out.printf("[permission %s granted]\n", scope)
		case alexa.AskForDenied:
			c.api.Grant(scope, false)
			c.out.printf("[permission %s denied]\n", scope)
		}
		return c.send(ctx, req, false)
	}

	inv := utterance.ParseInvocation(text, c.invocation)
	switch {
	case inv.OneShot():
		c.sim.Start()
		return c.send(ctx, c.intent(c.resolve(inv.Utterance)), false)
	case inv.Launch:
		return c.send(ctx, c.sim.Launch(), false)
	default:
		return c.send(ctx, c.intent(c.resolve(text)), false)
	}
}

// intent is the IntentRequest of a resolved utterance.
func (c *chat) intent(m utterance.Match) []byte {
	return c.sim.Intent(m.Intent, intentSlots(m)...)
}

// resolve resolves text to an intent, showing the intent with --json.
func (c *chat) resolve(text string) utterance.Match {
	m := c.resolver.Resolve(text)
	if c.cfg.json {
		c.out.printf("[heard %q as %s]\n", text, m.Intent)
	}
	return m
}

// send runs one request through the handler and shows the answer; ended
// says it is a SessionEndedRequest.
func (c *chat) send(ctx context.Context, payload []byte, ended bool) error {
	if c.cfg.json {
		c.out.printf("request:\n%s\n", indentJSON(payload))
	}
	out, err := c.handler.Invoke(ctx, payload)
	if err != nil {
		// The handler refuses only requests for another skill; any other
		// error is a bug, but the chat goes on.
		c.out.printf("[the skill refused the request: %v]\n", err)
		if !ended {
			c.sim.Open = false
		}
		return nil
	}
	if c.cfg.json {
		c.out.printf("response:\n%s\n", indentJSON(out))
	}
	for _, ev := range c.api.TakeEvents() {
		c.out.printf("[Echo: %s]\n", ev)
	}
	if ended {
		// Alexa ignores the response to a SessionEndedRequest.
		c.out.println("[session ended]")
		return nil
	}
	resp, err := c.sim.Receive(out)
	if err != nil {
		c.out.printf("[the skill's response is not JSON: %v]\n", err)
		return nil
	}
	c.show(ctx, resp)
	if !c.sim.Open {
		c.out.println("[session ended]")
	}
	return nil
}

// show prints (and speaks) one response.
func (c *chat) show(ctx context.Context, resp *alexa.Envelope) {
	r := resp.Response
	if said, isSSML := spoken(r.OutputSpeech); said != "" {
		text := said
		if isSSML {
			text = speech.Readable(speech.SSML(said))
		}
		c.out.printf("Alexa: %s\n", text)
		if c.cfg.ssml {
			c.out.printf("SSML: %s\n", said)
		}
		if c.speaker != nil {
			c.speaker.Say(ctx, said, isSSML)
		}
	}
	if r.Reprompt != nil {
		if said, isSSML := spoken(r.Reprompt.OutputSpeech); said != "" {
			if isSSML {
				said = speech.Readable(speech.SSML(said))
			}
			c.out.printf("       (if you say nothing: %s)\n", said)
		}
	}
	if r.Card != nil {
		c.out.println(describeCard(r.Card))
	}
	for _, d := range r.Directives {
		switch {
		case d.Type == alexa.DirectiveSendRequest && d.Name == alexa.ConnectionAskFor:
			scopes := strings.Join(askedScopes(d), ", ")
			c.out.printf("[directive: %s %s, permission %s]\n", d.Type, d.Name, scopes)
			question := fmt.Sprintf("Do you give %s permission to use your timers? Say yes or no.", c.invocation)
			if !strings.Contains(scopes, "timers") {
				question = fmt.Sprintf("Do you give %s permission %s? Say yes or no.", c.invocation, scopes)
			}
			c.out.printf("Alexa (for the skill): %s\n", question)
			if c.speaker != nil {
				c.speaker.Say(ctx, question, false)
			}
		case d.Type == speech.APLADirective:
			c.showAPLA(ctx, d)
		default:
			c.out.printf("[directive: %s]\n", strings.TrimSpace(d.Type+" "+d.Name))
		}
	}
}

// showAPLA shows what an APLA document plays after the speech, as a
// timeline: each cue, line and silence with its start from the
// document's start ("~" where it follows a line whose length is
// estimated); with --speak it plays it with the same timing.
func (c *chat) showAPLA(ctx context.Context, d alexa.Directive) {
	data, err := json.Marshal(d.Datasources)
	if err != nil {
		c.out.printf("[APLA data: %v]\n", err)
		return
	}
	doc, err := speech.ValidateAPLA(d.Document, data)
	if err != nil {
		c.out.printf("[APLA document Alexa would refuse: %v]\n", err)
		return
	}
	tl := speech.AlexaModel().Timeline(doc)
	c.out.printf("[APLA, played after the speech: %d parts]\n", len(tl))
	for _, e := range tl {
		at := "  "
		if e.Estimated {
			at = " ~"
		}
		at += fmt.Sprintf("%7.2fs", e.At.Seconds())
		switch {
		case e.Text == "":
			c.out.printf("%s  (silence %gs)\n", at, e.Slot.Seconds())
		case e.Slot > 0:
			c.out.printf("%s  %s\n", at, e.Text)
		default:
			c.out.printf("%s  Alexa: %s\n", at, e.Text)
		}
	}
	if c.speaker != nil {
		c.speaker.Play(ctx, tl)
	}
}

// describeCard shows a card on one line.
func describeCard(cd *alexa.Card) string {
	switch cd.Type {
	case "AskForPermissionsConsent":
		return fmt.Sprintf("[card in the Alexa app: grant permission %s]", strings.Join(cd.Permissions, ", "))
	case "LinkAccount":
		return "[card in the Alexa app: link your account]"
	}
	body := cd.Content
	if body == "" {
		body = cd.Text
	}
	body = strings.Join(strings.Fields(strings.ReplaceAll(body, "\n", " / ")), " ")
	if cd.Title != "" {
		return fmt.Sprintf("[card: %s — %s]", cd.Title, body)
	}
	return fmt.Sprintf("[card: %s]", body)
}

// spoken returns what an outputSpeech says, as SSML when it is SSML.
func spoken(o *alexa.OutputSpeech) (text string, isSSML bool) {
	if o == nil {
		return "", false
	}
	if strings.EqualFold(o.Type, alexa.SpeechSSML) {
		return o.SSML, true
	}
	return o.Text, false
}

// askedScopes returns the permission scopes an AskFor directive asks for.
func askedScopes(d alexa.Directive) []string {
	var out []string
	if d.Payload != nil {
		for _, s := range d.Payload.PermissionScopes {
			out = append(out, s.PermissionScope)
		}
	}
	return out
}

// isTerminal reports whether r is a terminal (a character device).
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
