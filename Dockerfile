# Aq Júrek in a container: built with cgo (SQLite is compiled in), run as an
# unprivileged user with the database on a volume.
#   docker build -t aqjurek .
#   docker run -p 8080:8080 -p 9090:9090 -v aqjurek:/var/lib/aqjurek aqjurek
#   docker run --rm -v aqjurek:/var/lib/aqjurek aqjurek token create --role admin --name "Ops"

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/aqjurek ./cmd/aqjurek

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /var/lib/aqjurek --create-home --shell /usr/sbin/nologin aqjurek
COPY --from=build /out/aqjurek /usr/local/bin/aqjurek
USER aqjurek
WORKDIR /var/lib/aqjurek
VOLUME /var/lib/aqjurek
ENV AQJUREK_DB=/var/lib/aqjurek/aqjurek.db \
    AQJUREK_GRPC_ADDR=0.0.0.0:9090 \
    AQJUREK_HTTP_ADDR=0.0.0.0:8080
EXPOSE 8080 9090
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/aqjurek"]
CMD ["serve"]
