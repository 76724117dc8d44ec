# Container image of the gallery for users with Docker (docker-compose.yml). The .NET base images
# are build arguments: set DOTNET_SDK_IMAGE and DOTNET_ASPNET_IMAGE to Microsoft's official .NET 10
# SDK and ASP.NET Core runtime images (README, "With Docker").
ARG DOTNET_SDK_IMAGE
ARG DOTNET_ASPNET_IMAGE

FROM ${DOTNET_SDK_IMAGE} AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/ArtGallery.Web -c Release -o /app/web \
 && dotnet publish src/ArtGallery.Cli -c Release -o /app/cli

FROM ${DOTNET_ASPNET_IMAGE}
WORKDIR /app
COPY --from=build /app /app
ENV ASPNETCORE_URLS=http://0.0.0.0:5080 \
    Storage__DataDirectory=/data/images
VOLUME /data
EXPOSE 5080
# Seed the demo collection (idempotent), then serve.
ENTRYPOINT ["sh", "-c", "dotnet /app/cli/artgallery.dll seed-demo && cd /app/web && exec dotnet ArtGallery.Web.dll"]
