# The operator image: built on Debian bookworm with the same packages as CI
# (scripts/install-deps.sh), shipped on a slim bookworm with only the runtime libraries.
FROM debian:bookworm AS build
WORKDIR /src
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN ./scripts/install-deps.sh
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release \
 && cmake --build build -j"$(nproc)" --target zkop

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libcpprest2.10 libyaml-cpp0.7 \
      libzookeeper-mt2 libprometheus-cpp-core1.0 libprometheus-cpp-pull1.0 libspdlog1.10 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/build/bin/zkop /usr/local/bin/zkop
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/zkop"]
CMD ["run"]
