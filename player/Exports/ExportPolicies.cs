using Enforcement.Media.Player.Accounts;

namespace Enforcement.Media.Player.Exports;

/// <summary>
/// Who may ask for an export and receive its package: exactly the roles that may view originals
/// (<see cref="PlayerPolicies.ReadOriginals"/>, legal reviewers and supervisors). A package hands out the
/// byte-exact originals, which the player never shows a plain reviewer; an export must not give them what
/// watching does not. Deciding is <see cref="PlayerPolicies.Approve"/> (supervisors), and never on one's
/// own request. Admins and records managers do neither.
/// </summary>
public static class ExportPolicies
{
    public const string Request = PlayerPolicies.ReadOriginals;
}
