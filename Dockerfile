# syntax=docker/dockerfile:1
# Multi-stage build of a static Simpul binary (cgo + glibc static), run as
# non-root on distroless. For PocketBase v0.40 use a Go 1.27 image.
FROM golang:1.26-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=1
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath \
      -tags "no_default_driver sqlite_math_functions sqlite_fts5 sqlite_omit_load_extension osusergo netgo timetzdata" \
      -ldflags "-s -w -X main.version=${VERSION} -linkmode external -extldflags -static" \
      -o /out/simpul . \
 && mkdir -p /out/pb_data

FROM gcr.io/distroless/static-debian12:nonroot
ARG VERSION=dev
LABEL org.opencontainers.image.title="simpul" org.opencontainers.image.version="${VERSION}"
COPY --from=build /out/simpul /simpul
COPY --from=build --chown=65532:65532 /out/pb_data /pb_data
VOLUME ["/pb_data"]
EXPOSE 8090
USER 65532:65532
# No curl in the image: the binary checks itself, without opening a data
# directory (so a probe never disturbs a running backup).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["/simpul", "healthcheck", "--url=http://127.0.0.1:8090/api/health"]
ENTRYPOINT ["/simpul"]
# Settings secrets (SMTP, S3) are encrypted at rest when SIMPUL_ENCRYPTION_KEY
# holds 32 characters; unset, they are stored as plain JSON. See docs/operator.md.
CMD ["serve", "--http=0.0.0.0:8090", "--dir=/pb_data", "--encryptionEnv=SIMPUL_ENCRYPTION_KEY"]
