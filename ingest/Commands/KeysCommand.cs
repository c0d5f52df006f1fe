using System.CommandLine;
using System.Globalization;
using Enforcement.Media.Ingest.Hosting;
using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Stations;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Enforcement.Media.Ingest.Commands;

/// <summary>
/// <c>ingest keys create|list|revoke</c>: the operator's management of station and device API keys.
/// A key's token is printed once, at creation, and never again: only its hash is kept.
/// </summary>
internal static class KeysCommand
{
    public static Command Create() => new("keys", "Create, list and revoke docking-station and device API keys for field uploads.")
    {
        CreateKey(),
        ListKeys(),
        RevokeKey(),
    };

    private static Command CreateKey()
    {
        var name = new Option<string>("--name") { Description = "Unique name, e.g. DOCK-01 or PHONE-0042 (also the audit actor key:<name>).", Required = true };
        var kind = new Option<ApiKeyKind>("--kind") { Description = "station (a docking-station agent), device (a phone, laptop, camera) or casesystem (the agency's case system, for /api/v1/cases).", Required = true };
        var station = new Option<string?>("--station") { Description = "The docking station's id recorded with its uploads (defaults to --name for a station key)." };
        var command = new Command("create", "Create a key and print its token once.") { name, kind, station };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await OpenAsync(parse, cancellationToken);
            var keyKind = parse.GetValue(kind);
            var keyName = parse.GetValue(name)!;
            var stationId = parse.GetValue(station) ?? (keyKind == ApiKeyKind.Station ? keyName : null);
            IssuedApiKey issued;
            try
            {
                issued = await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync(keyName, keyKind, stationId, Operator, cancellationToken);
            }
            catch (ApiKeyException ex)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return 1;
            }

            await Console.Out.WriteLineAsync($"Created {ApiKeyStore.KindName(issued.Key.Kind)} key '{issued.Key.Name}' ({issued.Key.Id}).");
            await Console.Out.WriteLineAsync("Its token is shown this once; store it on the station or device now (Authorization: Bearer <token>):");
            await Console.Out.WriteLineAsync(issued.Token);
            return 0;
        });
        return command;
    }

    private static Command ListKeys()
    {
        var command = new Command("list", "List every key, revoked ones included (never their tokens).") { TreatUnmatchedTokensAsErrors = false };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await OpenAsync(parse, cancellationToken);
            var keys = await app.Services.GetRequiredService<ApiKeyStore>().ListAsync(cancellationToken);
            var table = new Table().AddColumns("Id", "Name", "Kind", "Station", "Created", "Last used", "Revoked");
            foreach (var key in keys)
            {
                table.AddRow(
                    Markup.Escape(key.Id.ToString()),
                    Markup.Escape(key.Name),
                    ApiKeyStore.KindName(key.Kind),
                    Markup.Escape(key.StationId ?? string.Empty),
                    Markup.Escape($"{Time(key.CreatedAt)} by {key.CreatedBy}"),
                    Time(key.LastUsedAt),
                    key.RevokedAt is null ? string.Empty : Markup.Escape($"{Time(key.RevokedAt)} by {key.RevokedBy}"));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static Command RevokeKey()
    {
        var idOrName = new Argument<string>("id-or-name") { Description = "The key's id or name." };
        var command = new Command("revoke", "Revoke a key: from its next request on it is refused (401).") { idOrName };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await OpenAsync(parse, cancellationToken);
            var key = await app.Services.GetRequiredService<ApiKeyStore>().RevokeAsync(parse.GetValue(idOrName)!, Operator, cancellationToken);
            if (key is null)
            {
                await Console.Error.WriteLineAsync($"error: no key has the id or name '{parse.GetValue(idOrName)}'.");
                return 1;
            }

            await Console.Out.WriteLineAsync($"Key '{key.Name}' ({key.Id}) is revoked since {Time(key.RevokedAt)} (by {key.RevokedBy}).");
            return 0;
        });
        return command;
    }

    /// <summary>The ingest host's services over its configuration (connection string, schema), schema brought up to date as on start.</summary>
    private static async Task<WebApplication> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var app = IngestHost.Build([.. parse.UnmatchedTokens]);
        try
        {
            if (app.Services.GetRequiredService<IOptions<CatalogueOptions>>().Value.MigrateOnStart)
            {
                await app.Services.GetRequiredService<CatalogueMigrator>().MigrateAsync(cancellationToken);
            }

            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static string Operator => $"user:{Environment.UserName}";

    private static string Time(DateTimeOffset? value) => value?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? string.Empty;
}
