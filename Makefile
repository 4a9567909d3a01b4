# Spasm Coach build and test targets. `make test` is the one command that
# runs every test; `.ci/run` runs exactly it. `make build` builds the Lambda
# function for deployment.

# The linter (.golangci.yml), pinned: built from source with the Go
# toolchain into bin/ (gitignored) the first time, under a versioned name so
# that changing the version here builds it again.
GOLANGCI_LINT_VERSION = v2.15.0
GOLANGCI_LINT = bin/golangci-lint-$(GOLANGCI_LINT_VERSION)

.PHONY: test lint
test: node_modules/.package-lock.json $(GOLANGCI_LINT)
	go vet ./...
	$(GOLANGCI_LINT) run ./...
	go test -count=1 ./...
	node --test e2e/

lint: $(GOLANGCI_LINT)
	$(GOLANGCI_LINT) run ./...

$(GOLANGCI_LINT):
	mkdir -p bin/.install
	GOBIN=$(CURDIR)/bin/.install go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	mv bin/.install/golangci-lint $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

# The Lambda function: `bootstrap` for the provided.al2023 runtime on arm64
# (Graviton), and the zip to deploy, with bootstrap at its root. Output goes
# to $(DIST) (gitignored), the zip to $(LAMBDA_ZIP); override DIST,
# LAMBDA_ZIP (infra/hooks/build.sh does), LAMBDA_GOOS or LAMBDA_GOARCH on
# the command line. The lambda package's tests build the host's bootstrap
# with `make bootstrap DIST=... LAMBDA_GOOS=... LAMBDA_GOARCH=...`, so the
# build flags below are their only copy. GOOS and GOARCH from the
# environment are deliberately not used.
DIST = dist
LAMBDA_GOOS = linux
LAMBDA_GOARCH = arm64
LAMBDA_ZIP = $(DIST)/spasmcoach.zip

.PHONY: build bootstrap
build: bootstrap
	go run github.com/aws/aws-lambda-go/cmd/build-lambda-zip -o $(LAMBDA_ZIP) $(DIST)/bootstrap

bootstrap:
	mkdir -p $(DIST)
	GOOS=$(LAMBDA_GOOS) GOARCH=$(LAMBDA_GOARCH) CGO_ENABLED=0 go build -tags lambda.norpc -trimpath -ldflags "-s -w" -o $(DIST)/bootstrap ./lambda

# Load test of `spasmcoach serve --dev` with wrk: throughput, latency
# percentiles and the server's peak memory (installs wrk if missing).
.PHONY: load
load:
	e2e/load.sh

# Deploy to AWS and the Alexa developer account (README, "Deploy to AWS").
.PHONY: deploy
deploy:
	infra/deploy.sh
