namespace Enforcement.Media.Storage.Media;

/// <summary>The catalogue's spelling of <see cref="DerivationRole"/>.</summary>
public static class DerivationRoleNames
{
    public static string ToName(this DerivationRole role) => role switch
    {
        DerivationRole.Playback => "playback",
        DerivationRole.Poster => "poster",
        DerivationRole.SpriteSheet => "sprite_sheet",
        DerivationRole.SpriteTrack => "sprite_track",
        DerivationRole.Redacted => "redacted",
        DerivationRole.Publication => "publication",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown derivation role."),
    };

    public static DerivationRole Parse(string name)
    {
        foreach (var role in Enum.GetValues<DerivationRole>())
        {
            if (role.ToName() == name)
            {
                return role;
            }
        }

        throw new FormatException($"Unknown derivation role '{name}'.");
    }
}
