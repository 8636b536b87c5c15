#!/usr/bin/env bash
# Adds a migration with the same name for every database provider: build/add-migration.sh AddSomething
set -euo pipefail
name=${1:?usage: build/add-migration.sh MigrationName}
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
dotnet build src/WebApi -v q -nologo >/dev/null
for provider in Sqlite SqlServer Postgres; do
  dotnet ef migrations add "$name" \
    --context "${provider}ApplicationDbContext" \
    --project src/Infrastructure --startup-project src/WebApi --no-build \
    --output-dir "Persistence/Migrations/$provider" \
    --namespace "CleanBackend.Infrastructure.Persistence.Migrations.$provider"
done
# dotnet ef places the snapshot by namespace; keep it beside its migrations.
if [ -d src/Infrastructure/CleanBackend ]; then
  for provider in Sqlite SqlServer Postgres; do
    find src/Infrastructure/CleanBackend -name "${provider}ApplicationDbContextModelSnapshot.cs" -exec mv {} "src/Infrastructure/Persistence/Migrations/$provider/" \;
  done
  rm -rf src/Infrastructure/CleanBackend
fi
