# Container image: the static atlcheck binary on a distroless base, running
# as a non-root user. Build (docs/install.md):
#
#   make image        # docker build -t atlcheck:<version> with the version and commit stamped
#
# Build stage: the Go of go.mod's go line (a test keeps them equal).
FROM golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=""
ARG COMMIT=""
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/atlcheck/atlcheck/internal/version.version=${VERSION} -X github.com/atlcheck/atlcheck/internal/version.commit=${COMMIT}" \
      -o /out/atlcheck ./cmd/atlcheck

# Run stage: no shell, no package manager; CA certificates for
# api.atlassian.com; the nonroot user (uid 65532).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/atlcheck /usr/local/bin/atlcheck
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/atlcheck"]
CMD ["help"]
