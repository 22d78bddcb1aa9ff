# Niveau container image (see docs/operations.md).
#
#   docker build -t niveau .
#   docker run --rm -p 8080:8080 -v niveau-data:/var/lib/niveau niveau          # serve
#   docker run --rm -v niveau-data:/var/lib/niveau -it niveau user add --admin NAME
#   docker run --rm niveau model list

# ---- build ---------------------------------------------------------------------------
FROM rust:1-bookworm AS builder

WORKDIR /src
# The whole workspace: the built-in models in models/ are compiled into the binary.
COPY . .
RUN cargo build --release --locked -p niveau-cli \
 && install -m 0755 target/release/niveau /usr/local/bin/niveau

# ---- run -----------------------------------------------------------------------------
FROM debian:bookworm-slim

LABEL org.opencontainers.image.title="Niveau" \
      org.opencontainers.image.description="Runs the governance model of the OS2 open-source community" \
      org.opencontainers.image.source="https://github.com/OS2offdig/niveau" \
      org.opencontainers.image.licenses="MPL-2.0"

RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system niveau \
 && useradd --system --gid niveau --home-dir /var/lib/niveau --create-home \
            --shell /usr/sbin/nologin niveau

COPY --from=builder /usr/local/bin/niveau /usr/local/bin/niveau

USER niveau
WORKDIR /var/lib/niveau
# The SQLite database (niveau.db) and backups live here; keep it on a volume.
VOLUME ["/var/lib/niveau"]
EXPOSE 8080
# Listen on every interface inside the container; the database is /var/lib/niveau/niveau.db.
ENV NIVEAU_SERVER__LISTEN=0.0.0.0:8080

ENTRYPOINT ["niveau"]
CMD ["serve"]
