# Builds and runs Siyu. Used by docker-compose.yml; not needed to run Siyu locally.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline
COPY src src
RUN mvn -B -ntp -q package -DskipTests

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
