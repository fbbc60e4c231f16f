# Runtime image for Keytrail. Build the executable jar first: mvn -B -DskipTests package
# (target/keytrail.jar; the plain target/keytrail-<version>.jar is the library, ADR 0014).
FROM eclipse-temurin:17-jre

# curl: docker-compose.yml's health check asks /actuator/health.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 1001 --home-dir /app keytrail \
    && mkdir -p /app/data \
    && chown -R keytrail /app
WORKDIR /app
COPY target/keytrail.jar /app/keytrail.jar
USER keytrail

# Inside a container loopback is unreachable from the published port; every call still needs a token
# (generated into /app/data/api-tokens.properties unless KEYTRAIL_API_TOKEN/_ADMIN_TOKEN are set).
ENV KEYTRAIL_BIND_ADDRESS=0.0.0.0 \
    KEYTRAIL_DATA_DIR=/app/data
# The store, generated tokens and (without a configured sealing key) the development sealing key live
# here: mount a volume, or a re-created container can no longer read the stored session keys.
VOLUME /app/data
EXPOSE 8080
# Exec form: the JVM is PID 1 and gets SIGTERM directly, so Spring shuts down gracefully.
ENTRYPOINT ["java", "-jar", "/app/keytrail.jar"]
