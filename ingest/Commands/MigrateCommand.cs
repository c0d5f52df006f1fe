using System.CommandLine;
using Enforcement.Media.Ingest.Hosting;
using Enforcement.Media.Storage.Catalogue;

namespace Enforcement.Media.Ingest.Commands;

/// <summary><c>ingest migrate</c>: bring the catalogue schema up to date and exit (processes also do it on start).</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Apply pending catalogue migrations and exit.") { TreatUnmatchedTokensAsErrors = false };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = IngestHost.Build([.. parse.UnmatchedTokens]);
            var applied = await app.Services.GetRequiredService<CatalogueMigrator>().MigrateAsync(cancellationToken);
            await Console.Out.WriteLineAsync(applied.Count == 0
                ? "The catalogue is up to date."
                : $"Applied migrations {string.Join(", ", applied.Select(v => v.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)))}.");
            return 0;
        });
        return command;
    }
}
