using System.Security.Claims;
using Enforcement.Media.Player.Accounts;

namespace Enforcement.Media.Player.Visibility;

/// <summary>Who is looking: the user's id, their audit name and their unit (the inputs of <see cref="RecordingVisibility"/>).</summary>
public sealed record Viewer(Guid UserId, string Actor, string? UnitCode)
{
    public static Viewer Of(ClaimsPrincipal user) => new(user.UserId(), user.Actor(), user.UnitCode());
}
