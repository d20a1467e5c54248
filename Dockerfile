# idpd on Debian 12: build in one stage, run the binary with its runtime libraries in another.
FROM debian:12 AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
        build-essential cmake pkg-config ccache git ca-certificates \
        libpistache-dev libssl-dev libmysqlcppconn-dev libsqlite3-dev libcpp-httplib-dev \
        libmstch-dev nlohmann-json3-dev libargon2-dev libqrencode-dev libtomlplusplus-dev \
        libcli11-dev libspdlog-dev libgtest-dev libgmock-dev libcurl4-openssl-dev libicu-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j "$(nproc)" --target idpd

FROM debian:12-slim
# The runtime halves of the build packages above (no compilers, no headers).
RUN apt-get update && apt-get install -y --no-install-recommends \
        ca-certificates libpistache0 libssl3 libmysqlcppconn7v5 libsqlite3-0 libcpp-httplib0.11 \
        libargon2-1 libqrencode4 libspdlog1.10 libfmt9 libcurl4 libicu72 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/idpd --create-home idpd
WORKDIR /var/lib/idpd
COPY --from=build /src/build/idpd /usr/local/bin/idpd
COPY static /usr/share/idpd/static
COPY templates /usr/share/idpd/templates
COPY config/idpd.toml /etc/idpd/idpd.toml
USER idpd
ENV IDPD_SERVER_ADDRESS=0.0.0.0 \
    IDPD_SERVER_STATIC_DIR=/usr/share/idpd/static \
    IDPD_WEB_TEMPLATES_DIR=/usr/share/idpd/templates \
    IDPD_SERVER_VAR_DIR=/var/lib/idpd \
    IDPD_DATABASE_URL=sqlite:/var/lib/idpd/idpd.db
EXPOSE 8080
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/idpd", "--config", "/etc/idpd/idpd.toml"]
CMD ["serve"]
