# Runtime image for Keytrail. Build the jar first: mvn -B -DskipTests package
FROM eclipse-temurin:17-jre

RUN useradd --system --uid 1001 --home-dir /app keytrail \
    && mkdir -p /app/data \
    && chown -R keytrail /app
WORKDIR /app
COPY target/keytrail.jar /app/keytrail.jar
USER keytrail

# Inside a container loopback is unreachable from the published port; every call still needs a token
# (generated into /app/data/api-tokens.properties unless KEYTRAIL_API_TOKEN/_ADMIN_TOKEN are set).
ENV KEYTRAIL_BIND_ADDRESS=0.0.0.0
EXPOSE 8080
# Exec form: the JVM is PID 1 and gets SIGTERM directly, so Spring shuts down gracefully.
ENTRYPOINT ["java", "-jar", "/app/keytrail.jar"]
