using Dapper;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Ingest.Suggestions;

/// <summary>Reviewer accounts for suggestion runs and decisions, inserted as the player would have them.</summary>
public static class SuggestionUsers
{
    public static async Task<Guid> CreateAsync(CatalogueFixture catalogue, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        await using var connection = await catalogue.DataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO users (id, username, display_name, roles, password_hash, security_stamp, created_at, created_by)
            VALUES (@id, @username, 'Reviewer', '{reviewer}', 'x', gen_random_uuid(), now(), 'user:admin')
            """,
            new { id, username = $"reviewer-{id:N}" },
            cancellationToken: cancellationToken));
        return id;
    }
}
