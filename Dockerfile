# One image for both processes of the compose cluster, built from source:
#   dotnet OrleansRedis.Silo.dll …     a silo (hosts key grains, writes its node's AOF)
#   dotnet OrleansRedis.Gateway.dll …  a RESP gateway (an Orleans client)
# These are the same entry points scripts/cluster.sh runs as local processes.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY . .
RUN dotnet publish src/Silo -c Release -o /app/silo \
 && dotnet publish src/Gateway -c Release -o /app/gateway

FROM mcr.microsoft.com/dotnet/runtime:10.0
WORKDIR /app
COPY --from=build /app/silo/ /app/
COPY --from=build /app/gateway/ /app/
VOLUME /data
EXPOSE 6379 11111 30000
ENTRYPOINT ["dotnet"]
CMD ["OrleansRedis.Silo.dll", "--bind", "0.0.0.0", "--dir", "/data"]
