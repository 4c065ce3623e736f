# Builds and runs Siyu. Used by docker-compose.yml; not needed to run Siyu locally.

# The web console (/console/) and the API reference page (/docs/api), built with web/'s locked dependencies:
# Vite bundles web/console (with the palette files of bpmn/element-templates), Redoc renders
# src/main/resources/openapi.yaml. Outside Docker, mvn package does this with the machine's Node; the
# Maven image has none.
FROM node:22-bookworm-slim AS apidocs
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY web .
COPY src/main/resources/openapi.yaml /src/src/main/resources/openapi.yaml
COPY bpmn/element-templates /src/bpmn/element-templates
RUN npm run --silent build-api-docs -- --output /out/apidocs/index.html \
 && npm run --silent build-console -- --outDir /out/console

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline
COPY src src
# the shipped journeys go into the jar too, as the console's samples
COPY bpmn/*.bpmn bpmn/
# what was built above goes into the jar as Maven's own build puts it there
COPY --from=apidocs /out/apidocs target/classes/apidocs
COPY --from=apidocs /out/console target/classes/console
RUN mvn -B -ntp -q package -DskipTests -DskipApiDocs

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/siyu.jar /app/siyu.jar
COPY bpmn /app/bpmn
COPY templates /app/templates
ENV SIYU_DATA_DIR=/app/data
EXPOSE 8080
# exec form: SIGTERM reaches the JVM, which drains requests before exiting. The default heap is
# 512 MB (without a cap the JVM takes a quarter of the machine and keeps what it took); every
# benchmark in bench/, the 1M-contact import included, passes under it.
ENTRYPOINT ["java", "-Xmx512m", "-jar", "/app/siyu.jar"]
