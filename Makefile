# Spasm Coach build and test targets. `make test` is the one command that
# runs every test; `.ci/run` runs exactly it.
.PHONY: test
test: node_modules/.package-lock.json
	go vet ./...
	go test -count=1 ./...

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
