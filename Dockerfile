# The agones-lint image for `serve` (deploy/webhook.yaml) and for CI jobs that prefer a container.
#   docker build -t ghcr.io/your-org/agones-lint:0.1.0 .
FROM rust:1.85-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --features full --bin agones-lint

# distroless/cc has the C runtime the binary links against and nothing else; "nonroot" is
# uid 65532, matching the Deployment's securityContext.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/release/agones-lint /usr/local/bin/agones-lint
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/agones-lint"]
