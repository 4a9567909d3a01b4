// Package intents is the Alexa protocol adapter: it decodes request JSON
// (once, into the wire types of package alexa), checks the skill ID, routes
// intents and other requests to skill events, runs one turn (load state,
// apply, save, perform effects, render), and assembles the response JSON.
// It defines the small interfaces it consumes (a state store, the Alexa API
// client) on its own side.
package intents
